import VCDAMQP
import VCDCore

/// `/mock/health`, `/mock/about`, `/mock/requests` and `/mock/openapi.yaml`.
extension ControlStatus {
    /// 200 when fixtures are loaded (at least one org) and the server answers; 503 otherwise, same body.
    static func health(_ c: Context) throws(APIError) -> Reply {
        let counts = c.store.counts()
        let stats = c.notifier.publisher.stats
        let ready = (counts["orgs"] ?? 0) > 0
        let view = HealthView(status: ready ? "ok" : "unavailable", fixturesLoaded: ready, serving: true,
                              counts: counts,
                              amqp: HealthView.Amqp(configured: c.notifier.configured, notificationsEnabled: c.notifier.enabled,
                                                    connected: stats.connected, outboxDepth: stats.outboxDepth,
                                                    outboxCapacity: stats.outboxCapacity, unconfirmed: stats.unconfirmed,
                                                    returned: stats.returned, nacked: stats.nacked, refused: stats.refused,
                                                    lastError: stats.lastError),
                              extensions: c.bridge.stats)
        var reply = try json(view)
        reply.status = ready ? 200 : 503
        return reply
    }

    static let notImplemented = [
        "query service: packaged queries (/api/…/query), metadata fields, types beyond those GET /api/query lists",
        "vApp compose and recompose, VM deletion; query types for VMs, templates and catalog items",
        "response filters of extension services",
    ]

    static func about(_ c: Context) throws(APIError) -> Reply {
        return try json(AboutView(version: VCDMockVersion.current, apiVersions: c.config.versions, routes: c.routes,
                                  notImplemented: notImplemented))
    }

    /// Filters: `method` (exact, any case), `path` (prefix), `status` (`404` or a class like `4xx`),
    /// `org` (name, any case), `limit` (the newest N that match).
    static func requests(_ c: Context) throws(APIError) -> Reply {
        let q = c.request.queryItems
        let limit = try limitParameter(q)
        let status = try q["status"].map { text throws(APIError) -> ClosedRange<Int> in
            if let n = Int(text) { return n...n }
            let t = text.lowercased()
            if t.count == 3, t.hasSuffix("xx"), let d = Int(t.prefix(1)) { return (d * 100)...(d * 100 + 99) }
            throw .badRequest("status=\(text) is neither a status code nor a class like 4xx.")
        }
        let method = q["method"]?.uppercased()
        let prefix = q["path"]
        let org = q["org"]?.lowercased()
        let (entries, dropped) = c.journal.snapshot()
        var matched = entries.filter { e in
            (method == nil || e.method.uppercased() == method)
                && (prefix.map { e.path.hasPrefix($0) } ?? true)
                && (status.map { $0.contains(e.status) } ?? true)
                && (org.map { e.org?.lowercased() == $0 } ?? true)
        }
        if let limit, matched.count > limit { matched.removeFirst(matched.count - limit) }
        return try json(RequestsView(requests: matched.map(RequestView.init), kept: entries.count, dropped: dropped,
                                     capacity: c.journal.capacity))
    }

    static func clearRequests(_ c: Context) throws(APIError) -> Reply {
        c.journal.clear()
        return .noContent
    }

    static func openAPI(_ c: Context) throws(APIError) -> Reply {
        return Reply(mediaType: "application/yaml", body: PackageResources.control_api_yaml)
    }
}

struct RouteRow: Encodable, Sendable {
    let method, pattern, handler: String
}

struct HealthView: Encodable {
    struct Amqp: Encodable {
        let configured, notificationsEnabled, connected: Bool
        let outboxDepth, outboxCapacity, unconfirmed, returned, nacked, refused: Int
        @NullIfNil var lastError: String?
    }

    let status: String
    let fixturesLoaded, serving: Bool
    let counts: [String: Int]
    let amqp: Amqp
    let extensions: ExtensionBridge.Stats
}

struct AboutView: Encodable {
    let version: String
    let apiVersions: [String]
    let routes: [RouteRow]
    let notImplemented: [String]
}

struct RequestsView: Encodable {
    let requests: [RequestView]
    /// Entries held now, before filters.
    let kept: Int
    /// Entries dropped by the bound since the last clear.
    let dropped: Int
    let capacity: Int
}

struct RequestView: Encodable {
    let time, method, path: String
    @NullIfNil var query: String?
    let status: Int
    let durationMicros: UInt64
    @NullIfNil var org: String?
    @NullIfNil var user: String?
    let requestId: String

    init(_ e: JournalEntry) {
        time = e.time.iso8601
        method = e.method
        path = e.path
        query = e.query
        status = e.status
        durationMicros = e.micros
        org = e.org
        user = e.user
        requestId = e.requestID
    }
}
