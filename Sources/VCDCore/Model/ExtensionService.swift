/// A registered extension service (reference §5.2): requests whose path matches one of its filters are
/// forwarded over AMQP to `exchange` with `routingKey` instead of being handled by the mock.
public struct ExtensionService: Sendable, Equatable {
    public var id: String
    public var name: String
    public var namespace: String
    public var enabled: Bool
    public var authorizationEnabled: Bool
    public var routingKey: String
    public var priority: Int
    public var exchange: String
    public var vendor: String
    public var description: String
    public var filters: [APIFilter]

    public init(id: String, name: String, namespace: String, enabled: Bool = true, authorizationEnabled: Bool = false,
                routingKey: String, priority: Int = 50, exchange: String, vendor: String = "", description: String = "",
                filters: [APIFilter] = []) {
        self.id = id
        self.name = name
        self.namespace = namespace
        self.enabled = enabled
        self.authorizationEnabled = authorizationEnabled
        self.routingKey = routingKey
        self.priority = priority
        self.exchange = exchange
        self.vendor = vendor
        self.description = description
        self.filters = filters
    }
}

/// A `UrlPattern` (a regular expression matched against the whole request path with its query, §5.4).
public struct APIFilter: Sendable, Equatable {
    public var id: String
    public var urlPattern: String

    public init(id: String, urlPattern: String) {
        self.id = id
        self.urlPattern = urlPattern
    }
}
