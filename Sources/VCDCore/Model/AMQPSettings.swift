/// The broker vCD publishes notifications to (reference §6.1), and whether it does (§6.2).
public struct AMQPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    /// Never shown on GET (vCD returns it empty).
    public var password: String
    /// Where XML notifications go (topic, durable).
    public var exchange: String
    public var vhost: String
    public var useSSL: Bool
    public var sslAcceptAll: Bool
    /// JSON notifications go to `<prefix>.notifications20`.
    public var prefix: String

    public init(host: String = "127.0.0.1", port: Int = 5672, username: String = "guest", password: String = "guest",
                exchange: String = "systemExchange", vhost: String = "/", useSSL: Bool = false,
                sslAcceptAll: Bool = false, prefix: String = "vcd") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.exchange = exchange
        self.vhost = vhost
        self.useSSL = useSSL
        self.sslAcceptAll = sslAcceptAll
        self.prefix = prefix
    }

    /// The exchange JSON notifications are published to.
    public var jsonExchange: String { prefix + ".notifications20" }
}

/// Receives events right after the Store recorded them (outside its lock), in order per org.
public protocol EventSink: AnyObject, Sendable {
    func recorded(_ events: [Event])
}

/// How the Store holds its event sinks (see `Observers`).
public struct WeakEventSink: WeakReference {
    public weak var value: (any EventSink)?
    public init(_ observer: any EventSink) { value = observer }
}
