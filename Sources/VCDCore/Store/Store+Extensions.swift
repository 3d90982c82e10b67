/// What a client sent for a Service (§5.2, §5.3); nil means "absent" (keep the value on update).
public struct ServiceDraft: Sendable, Equatable {
    public var name: String?
    public var description: String?
    public var namespace: String?
    public var enabled: Bool?
    public var authorizationEnabled: Bool?
    public var routingKey: String?
    public var priority: Int?
    public var exchange: String?
    public var vendor: String?
    /// The UrlPatterns of an `ApiFilters` child; nil when there is none. Only registration reads them.
    public var filters: [String]?

    public init(name: String? = nil, description: String? = nil, namespace: String? = nil, enabled: Bool? = nil,
                authorizationEnabled: Bool? = nil, routingKey: String? = nil, priority: Int? = nil,
                exchange: String? = nil, vendor: String? = nil, filters: [String]? = nil) {
        self.name = name
        self.description = description
        self.namespace = namespace
        self.enabled = enabled
        self.authorizationEnabled = authorizationEnabled
        self.routingKey = routingKey
        self.priority = priority
        self.exchange = exchange
        self.vendor = vendor
        self.filters = filters
    }
}

/// The registered services, plus what request forwarding reads: enabled services in match order with
/// their compiled filters, rebuilt on every change (changes are rare, matching is on every request).
struct ServiceRegistry: Sendable {
    /// A class so that walking the routes retains one reference each, not every field of the service.
    final class Route: Sendable {
        let service: ExtensionService
        let patterns: [URLPattern]

        init(service: ExtensionService, patterns: [URLPattern]) {
            self.service = service
            self.patterns = patterns
        }
    }

    var byID: [String: ExtensionService] = [:]
    var order: [String] = []
    /// filter id -> service id
    var filterOwner: [String: String] = [:]
    /// filter id -> its pattern, compiled
    var compiled: [String: URLPattern] = [:]
    var routes: [Route] = []

    init() {}

    /// Services from fixtures, which the loader validated: a pattern that does not compile is a bug.
    init(_ services: [ExtensionService]) {
        for service in services {
            let patterns = service.filters.map { f in
                guard let p = try? URLPattern(f.urlPattern) else {
                    preconditionFailure("Store(services:): UrlPattern \"\(f.urlPattern)\" does not compile")
                }
                return p
            }
            put(service, compiled: patterns)
        }
    }

    func service(namespace: String) -> ExtensionService? { byID.values.first { $0.namespace == namespace } }

    mutating func put(_ service: ExtensionService, compiled patterns: [URLPattern] = []) {
        if byID[service.id] == nil { order.append(service.id) }
        byID[service.id] = service
        for (filter, pattern) in zip(service.filters, patterns) {
            filterOwner[filter.id] = service.id
            compiled[filter.id] = pattern
        }
        rebuildRoutes()
    }

    mutating func remove(_ id: String) {
        guard let service = byID.removeValue(forKey: id) else { return }
        order.removeAll { $0 == id }
        for filter in service.filters {
            filterOwner[filter.id] = nil
            compiled[filter.id] = nil
        }
        rebuildRoutes()
    }

    /// Highest priority first, then registration order.
    mutating func rebuildRoutes() {
        routes = order.compactMap { byID[$0] }.filter(\.enabled).enumerated()
            .sorted { ($0.element.priority, $1.offset) > ($1.element.priority, $0.offset) }
            .map { _, s in Route(service: s, patterns: s.filters.compactMap { compiled[$0.id] }) }
    }
}

extension Store {
    /// The service a request goes to instead of the mock: the first enabled one (by priority, then
    /// registration) with a filter matching the whole path with its query, or the path alone.
    public func forwardingService(forPath pathAndQuery: String) -> ExtensionService? {
        forwardingService(path: pathAndQuery, query: nil)
    }

    /// The same for a path and its query apart: most requests meet no API filter and join nothing.
    public func forwardingService(path: String, query: String?) -> ExtensionService? {
        let routes = state.withLock { $0.services.routes }
        guard !routes.isEmpty else { return nil }
        let pathAndQuery = query.map { path + "?" + $0 } ?? path
        let whole = pathAndQuery[...]
        let path = whole.utf8.firstIndex(of: UInt8(ascii: "?")).map { whole[..<$0] }
        for route in routes {
            for pattern in route.patterns where pattern.matches(whole) || (path.map { pattern.matches($0) } ?? false) {
                return route.service
            }
        }
        return nil
    }

    /// Every registered service, in registration order.
    public var extensionServices: [ExtensionService] {
        state.withLock { s in s.services.order.compactMap { s.services.byID[$0] } }
    }

    public func services(for p: Principal) throws(DomainError) -> [ExtensionService] {
        try ServiceRules.sysadmin(p, "list extension services")
        return extensionServices
    }

    public func service(_ id: String, for p: Principal) throws(DomainError) -> ExtensionService {
        try ServiceRules.sysadmin(p, "read an extension service")
        guard let service = state.withLock({ $0.services.byID[id] }) else { throw .noAccess("externalService", id) }
        return service
    }

    /// `POST /api/admin/extension/service`: patterns are compiled here, outside the lock, and only once.
    public func registerService(_ draft: ServiceDraft, by p: Principal) throws(DomainError) -> ExtensionService {
        try ServiceRules.sysadmin(p, "register an extension service")
        var service = try ServiceRules.merge(draft, into: nil, id: ids.uuid())
        let patterns = try ServiceRules.compile(draft.filters ?? [])
        service.filters = patterns.map { APIFilter(id: ids.uuid(), urlPattern: $0.pattern) }
        return try state.withLock { s throws(DomainError) -> ExtensionService in
            try ServiceRules.uniqueNamespace(service, in: s.services)
            s.services.put(service, compiled: patterns)
            return service
        }
    }

    /// `PUT …/service/{id}`: absent fields keep their value; filters are managed through `/apifilters`.
    public func updateService(_ id: String, _ draft: ServiceDraft, by p: Principal) throws(DomainError) -> ExtensionService {
        try ServiceRules.sysadmin(p, "update an extension service")
        return try state.withLock { s throws(DomainError) -> ExtensionService in
            guard let current = s.services.byID[id] else { throw .noAccess("externalService", id) }
            let updated = try ServiceRules.merge(draft, into: current, id: id)
            try ServiceRules.uniqueNamespace(updated, in: s.services)
            s.services.put(updated)
            return updated
        }
    }

    /// `DELETE …/service/{id}`: its filters go with it.
    public func deleteService(_ id: String, by p: Principal) throws(DomainError) {
        try ServiceRules.sysadmin(p, "delete an extension service")
        try state.withLock { s throws(DomainError) in
            guard s.services.byID[id] != nil else { throw .noAccess("externalService", id) }
            s.services.remove(id)
        }
    }

    public func apiFilters(of serviceID: String, for p: Principal) throws(DomainError) -> [APIFilter] {
        try service(serviceID, for: p).filters
    }

    /// `POST …/service/{id}/apifilters`
    public func addApiFilter(to serviceID: String, urlPattern: String, by p: Principal) throws(DomainError) -> APIFilter {
        try ServiceRules.sysadmin(p, "add an API filter")
        let pattern = try URLPattern(urlPattern.trimmed)
        let filter = APIFilter(id: ids.uuid(), urlPattern: pattern.pattern)
        return try state.withLock { s throws(DomainError) -> APIFilter in
            guard var service = s.services.byID[serviceID] else { throw .noAccess("externalService", serviceID) }
            service.filters.append(filter)
            s.services.compiled[filter.id] = pattern
            s.services.filterOwner[filter.id] = serviceID
            s.services.put(service)
            return filter
        }
    }

    /// A filter and the id of the service it belongs to.
    public func apiFilter(_ id: String, for p: Principal) throws(DomainError) -> (filter: APIFilter, serviceID: String) {
        try ServiceRules.sysadmin(p, "read an API filter")
        let found: (APIFilter, String)? = state.withLock { s in
            guard let owner = s.services.filterOwner[id],
                  let filter = s.services.byID[owner]?.filters.first(where: { $0.id == id }) else { return nil }
            return (filter, owner)
        }
        guard let found else { throw .noAccess("apiFilter", id) }
        return found
    }

    public func deleteApiFilter(_ id: String, by p: Principal) throws(DomainError) {
        try ServiceRules.sysadmin(p, "delete an API filter")
        try state.withLock { s throws(DomainError) in
            guard let owner = s.services.filterOwner[id], var service = s.services.byID[owner] else {
                throw .noAccess("apiFilter", id)
            }
            service.filters.removeAll { $0.id == id }
            s.services.filterOwner[id] = nil
            s.services.compiled[id] = nil
            s.services.put(service)
        }
    }
}

/// Validation of client-supplied service fields (reference §5.2).
enum ServiceRules {
    static func sysadmin(_ p: Principal, _ action: String) throws(DomainError) {
        guard p.isSysadmin else {
            throw .forbidden("Only a system administrator may \(action); log in to org System.")
        }
    }

    /// The draft applied over `current` (nil when registering), with every required field checked.
    static func merge(_ d: ServiceDraft, into current: ExtensionService?, id: String) throws(DomainError) -> ExtensionService {
        let name = try required("name attribute", d.name, current?.name)
        let namespace = try required("Namespace", d.namespace, current?.namespace)
        let routingKey = try required("RoutingKey", d.routingKey, current?.routingKey)
        let exchange = try required("Exchange", d.exchange, current?.exchange)
        let priority = d.priority ?? current?.priority ?? 50
        guard (0...100).contains(priority) else {
            throw .badRequest("Service Priority \(priority) is outside 0...100 (50 is neutral).")
        }
        return ExtensionService(
            id: id, name: name, namespace: namespace, enabled: d.enabled ?? current?.enabled ?? true,
            authorizationEnabled: d.authorizationEnabled ?? current?.authorizationEnabled ?? false,
            routingKey: routingKey, priority: priority, exchange: exchange,
            vendor: d.vendor ?? current?.vendor ?? "", description: d.description ?? current?.description ?? "",
            filters: current?.filters ?? [])
    }

    static func required(_ field: String, _ given: String?, _ current: String?) throws(DomainError) -> String {
        let value = given?.trimmed ?? current ?? ""
        guard !value.isEmpty else {
            throw .badRequest("The Service needs a non-empty \(field) (required: name, Namespace, RoutingKey, Exchange).")
        }
        return value
    }

    static func compile(_ patterns: [String]) throws(DomainError) -> [URLPattern] {
        var out: [URLPattern] = []
        for text in patterns { out.append(try URLPattern(text.trimmed)) }
        return out
    }

    /// A second service with the same Namespace is refused (409): vCD fails such a registration.
    static func uniqueNamespace(_ service: ExtensionService, in registry: ServiceRegistry) throws(DomainError) {
        if let other = registry.service(namespace: service.namespace), other.id != service.id {
            throw .conflict("Namespace \"\(service.namespace)\" is already used by extension service \"\(other.name)\" "
                + "(id \(other.id)); namespaces must be unique.")
        }
    }
}
