import VCDCore
import Yams

/// The top-level `settings:` of a state export: the AMQP broker settings and the notifications switch.
public struct FixtureSettings: Sendable, Equatable {
    public var amqp: AMQPSettings
    /// Whether a broker is used at all (a URL was given or the settings were PUT).
    public var configured: Bool
    public var notifications: Bool

    public init(amqp: AMQPSettings = AMQPSettings(), configured: Bool = false, notifications: Bool = false) {
        self.amqp = amqp
        self.configured = configured
        self.notifications = notifications
    }
}

/// The parts of the format a state export adds: task details, events, settings (Fixtures/README.md).
extension FixtureBuilder {
    mutating func addSettings(_ r: YAMLReader) throws(FixtureError) {
        if let previous = settingsLine { throw r.fail("settings are given twice (first at \(previous))") }
        settingsLine = "\(r.file):\(r.line ?? 0)"
        let f = try r.mapping(allowed: ["amqp", "configured", "notifications"], context: "settings")
        var out = FixtureSettings()
        if let a = f["amqp"] {
            let m = try a.mapping(allowed: ["host", "port", "username", "password", "exchange", "vhost", "useSSL",
                                            "sslAcceptAll", "prefix"], context: "settings.amqp")
            var s = AMQPSettings()
            s.host = try m["host"].string("host", default: s.host)
            if let p = m["port"] {
                s.port = try p.int("port")
                guard (1...65535).contains(s.port) else { throw p.fail("port \(s.port) is outside 1...65535") }
            }
            s.username = try m["username"].string("username", default: s.username)
            s.password = try m["password"].string("password", default: s.password)
            s.exchange = try m["exchange"].string("exchange", default: s.exchange)
            s.vhost = try m["vhost"].string("vhost", default: s.vhost)
            s.useSSL = try m["useSSL"]?.bool("useSSL") ?? s.useSSL
            s.sslAcceptAll = try m["sslAcceptAll"]?.bool("sslAcceptAll") ?? s.sslAcceptAll
            s.prefix = try m["prefix"].string("prefix", default: s.prefix)
            out.amqp = s
        }
        out.configured = try f["configured"]?.bool("configured") ?? (f["amqp"] != nil)
        out.notifications = try f["notifications"]?.bool("notifications") ?? false
        settings = out
    }

    /// `blockingTasks:` (vapps reference §9.2): `timeoutAction`, `timeoutMillis`, `operations`.
    mutating func addBlockingTasks(_ r: YAMLReader) throws(FixtureError) {
        if let previous = blockingLine { throw r.fail("blockingTasks are given twice (first at \(previous))") }
        blockingLine = "\(r.file):\(r.line ?? 0)"
        let f = try r.mapping(allowed: ["timeoutAction", "timeoutMillis", "operations"], context: "blockingTasks")
        var out = BlockingTaskSettings()
        if let a = f["timeoutAction"] {
            let text = try a.string("timeoutAction")
            guard let action = BlockingTaskAction(rawValue: text) else { throw a.fail("timeoutAction \"\(text)\" is not resume, abort or fail") }
            out.timeoutAction = action
        }
        if let t = f["timeoutMillis"] {
            let n = try t.int("timeoutMillis")
            guard n >= 0 else { throw t.fail("timeoutMillis must be 0 or more") }
            out.timeoutMillis = Int64(n)
        }
        for op in try f["operations"]?.sequence("operations") ?? [] {
            let name = try op.string("an operation")
            guard !name.isEmpty else { throw op.fail("an operation name is empty") }
            if !out.operations.contains(name) { out.operations.append(name) }
        }
        blocking = out
    }

    mutating func event(_ r: YAMLReader, org: Org) throws(FixtureError) -> Event {
        let f = try r.mapping(allowed: ["id", "type", "typeFull", "serviceNamespace", "success", "timestamp", "user",
                                        "owner", "entity", "operationName"], context: "an event")
        guard let typeNode = f["type"] else { throw r.fail("an event needs a type") }
        guard let timeNode = f["timestamp"] else { throw r.fail("an event needs a timestamp") }
        guard let userNode = f["user"] else { throw r.fail("an event needs a user") }
        let id = try claim(f["id"].string("id", default: StableID.uuid("event", org.name, String(eventBase + events.count))),
                           kind: "event", at: f["id"] ?? r)
        return Event(id: id, type: try typeNode.string("type"), typeFull: try f["typeFull"].string("typeFull", default: ""),
                     serviceNamespace: try f["serviceNamespace"].string("serviceNamespace", default: ""),
                     success: try f["success"]?.bool("success") ?? true, timestamp: try timestamp(timeNode, "timestamp"),
                     orgID: org.id, user: try ref(userNode, "user"),
                     owner: try f["owner"].map { n throws(FixtureError) in try reference(n, "owner") },
                     entity: try f["entity"].map { n throws(FixtureError) in try ref(n, "entity") },
                     operationName: try f["operationName"]?.string("operationName"))
    }

    /// Task keys a state export writes beyond the hand-written ones.
    func taskExtras(_ f: YAMLFields, into task: inout CloudTask) throws(FixtureError) {
        if let n = f["endTime"] { task.endTime = try timestamp(n, "endTime") }
        task.operationKey = try f["operationKey"]?.string("operationKey")
        task.description = try f["description"]?.string("description")
        task.cancelRequested = try f["cancelRequested"]?.bool("cancelRequested") ?? false
        if let n = f["owner"] { task.owner = try reference(n, "owner") }
        if let n = f["organization"] { task.organization = try ref(n, "organization") }
        if let n = f["error"] {
            let m = try n.mapping(allowed: ["message", "majorErrorCode", "minorErrorCode", "vendorSpecificErrorCode",
                                            "stackTrace"], context: "a task error")
            guard let message = m["message"] else { throw n.fail("a task error needs a message") }
            task.error = TaskError(message: try message.string("message"),
                                   majorErrorCode: try m["majorErrorCode"]?.int("majorErrorCode") ?? 500,
                                   minorErrorCode: try m["minorErrorCode"].string("minorErrorCode", default: "INTERNAL_SERVER_ERROR"),
                                   vendorSpecificErrorCode: try m["vendorSpecificErrorCode"]?.string("vendorSpecificErrorCode"),
                                   stackTrace: try m["stackTrace"]?.string("stackTrace"))
        }
    }

    func timestamp(_ r: YAMLReader, _ key: String) throws(FixtureError) -> Timestamp {
        guard let t = Timestamp(iso8601: try r.string(key)) else { throw r.fail("\(key) must be ISO 8601, e.g. 2024-05-01T10:00:00.000Z") }
        return t
    }

    /// `{href, name, type}`: a client's reference kept verbatim.
    func reference(_ r: YAMLReader, _ key: String) throws(FixtureError) -> Reference {
        let m = try r.mapping(allowed: ["href", "name", "type"], context: key)
        guard let href = m["href"] else { throw r.fail("\(key) needs an href") }
        return Reference(href: try href.string("href"), name: try m["name"]?.string("name"), type: try m["type"]?.string("type"))
    }

    /// `{kind: user|org|task, id, name}` (one of the mock's entities) or `{href, name, type}` (a client's reference).
    func ref(_ r: YAMLReader, _ key: String) throws(FixtureError) -> EntityRef {
        let m = try r.mapping(allowed: ["kind", "id", "name", "href", "type"], context: key)
        if m["href"] != nil {
            guard m["kind"] == nil, m["id"] == nil else { throw r.fail("\(key): give either kind/id/name or href/name/type") }
            return .external(try reference(r, key))
        }
        guard let kind = m["kind"], let id = m["id"] else { throw r.fail("\(key) needs kind and id (or an href)") }
        let idText = try id.string("id"), name = try m["name"].string("name", default: "")
        switch try kind.string("kind") {
        case "user": return .user(id: idText, name: name)
        case "org": return .org(id: idText, name: name)
        case "task": return .task(id: idText, name: name)
        case let other: throw kind.fail("\(key) kind '\(other)' is unknown; use user, org or task")
        }
    }
}
