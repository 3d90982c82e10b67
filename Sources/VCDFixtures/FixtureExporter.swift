import VCDCore
import Yams

/// Writes a state in the fixture format (Fixtures/README.md) so that FixtureLoader reads back exactly the
/// same state: every string is double-quoted, every field the loader would otherwise default is written.
/// The text is Yams' emitter's (libyaml): keys in the order written here, lists without extra indent.
public enum FixtureExporter {
    public static func yaml(_ fixtures: Fixtures) -> String {
        yaml(fixtures.snapshot, settings: fixtures.settings)
    }

    public static func yaml(_ state: StateSnapshot, settings: FixtureSettings? = nil) -> String {
        var tasksByOrg: [String: [CloudTask]] = [:]
        for task in state.tasks { tasksByOrg[task.orgID, default: []].append(task) }
        var eventsByOrg: [String: [Event]] = [:]
        for event in state.events { eventsByOrg[event.orgID, default: []].append(event) }
        var root = Fields()
        root.list("orgs", state.orgs.map { org($0, tasks: tasksByOrg[$0.id] ?? [], events: eventsByOrg[$0.id] ?? []) },
                  emptyAsFlow: true)
        root.list("services", state.services.map(service))
        if let settings { root.node("settings", Self.settings(settings)) }
        if state.blockingTaskSettings != BlockingTaskSettings() {
            var b = Fields()
            b.raw("timeoutAction", state.blockingTaskSettings.timeoutAction.rawValue)
            b.raw("timeoutMillis", String(state.blockingTaskSettings.timeoutMillis))
            b.list("operations", state.blockingTaskSettings.operations.map { .scalar(Node.Scalar($0, .implicit, .doubleQuoted)) },
                   emptyAsFlow: true)
            root.node("blockingTasks", b.mapping)
        }
        let header = "# vcd-mock state (fixture format, see Fixtures/README.md)\n"
        do {
            // width -1: no folding of long quoted strings; allowUnicode: names stay readable.
            return header + (try Yams.serialize(node: root.mapping, width: -1, allowUnicode: true))
        } catch {
            // libyaml refuses only malformed event streams, which these nodes are not; say so loudly if it ever does.
            return header + "# vcd-mock could not write this state: \(error)\n"
        }
    }

    /// One mapping's keys and values, in the order added; nil values are left out.
    struct Fields {
        var pairs: [(Node, Node)] = []

        var mapping: Node { .mapping(Node.Mapping(pairs, Tag(.map), .block)) }

        /// A double-quoted string.
        mutating func str(_ key: String, _ value: String?) {
            guard let value else { return }
            node(key, .scalar(Node.Scalar(value, .implicit, .doubleQuoted)))
        }

        /// A plain scalar (booleans, numbers, timestamps, enum words).
        mutating func raw(_ key: String, _ value: String) {
            node(key, .scalar(Node.Scalar(value, .implicit, .plain)))
        }

        mutating func node(_ key: String, _ value: Node) {
            pairs.append((.scalar(Node.Scalar(key, .implicit, .plain)), value))
        }

        /// A block list; left out when empty unless `emptyAsFlow` (then `[]`).
        mutating func list(_ key: String, _ items: [Node], emptyAsFlow: Bool = false) {
            guard !items.isEmpty || emptyAsFlow else { return }
            node(key, .sequence(Node.Sequence(items, Tag(.seq), items.isEmpty ? .flow : .block)))
        }
    }

    static func org(_ org: Org, tasks: [CloudTask], events: [Event]) -> Node {
        var f = Fields()
        f.str("name", org.name)
        f.str("id", org.id)
        f.str("fullName", org.fullName)
        f.str("description", org.description)
        f.raw("enabled", String(org.enabled))
        f.list("users", org.users.map { u in
            var uf = Fields()
            uf.str("name", u.name)
            uf.str("id", u.id)
            uf.str("password", u.password)
            uf.str("role", u.role.rawValue)
            uf.str("fullName", u.fullName)
            uf.str("email", u.email)
            if !u.enabled { uf.raw("enabled", "false") }
            if !u.description.isEmpty { uf.str("description", u.description) }
            uf.list("metadata", metadata(u.metadata))
            return uf.mapping
        })
        for kind in InventoryItem.Kind.allCases {
            f.list(kind == .vdc ? "vdcs" : kind.rawValue + "s", org.items(kind).map { item in
                var itf = Fields()
                itf.str("name", item.name)
                itf.str("id", item.id)
                itf.str("description", item.description)
                itf.list("metadata", metadata(item.metadata))
                contents(of: item, in: org, into: &itf)  // catalog items, vApps (FixtureExporter+VApps.swift)
                return itf.mapping
            })
        }
        f.list("metadata", metadata(org.metadata))
        f.list("tasks", tasks.map { task($0, org: org) })
        f.list("events", events.map(event))
        return f.mapping
    }

    /// Entries under `metadata:`; domain and visibility only when not the default GENERAL/READWRITE.
    static func metadata(_ entries: [MetadataEntry]) -> [Node] {
        entries.map { m in
            var f = Fields()
            f.str("key", m.key)
            f.str("value", m.value)
            f.raw("type", m.type.fixtureName)
            if m.domain != .general || m.visibility != .readWrite {
                f.raw("domain", m.domain.rawValue)
                f.raw("visibility", m.visibility.rawValue)
            }
            return f.mapping
        }
    }

    static func task(_ t: CloudTask, org: Org) -> Node {
        var f = Fields()
        f.str("id", t.id)
        f.str("name", t.name)
        f.raw("status", t.status.rawValue)
        f.str("serviceNamespace", t.serviceNamespace)
        f.str("operation", t.operation)
        f.str("operationName", t.operationName)
        f.str("operationKey", t.operationKey)
        f.str("description", t.description)
        if let p = t.progress { f.raw("progress", String(p)) }
        f.str("details", t.details)
        f.raw("startTime", t.startTime.iso8601)
        if let e = t.endTime { f.raw("endTime", e.iso8601) }
        f.raw("expiryTime", t.expiryTime.iso8601)
        if t.cancelRequested { f.raw("cancelRequested", "true") }
        if let o = t.owner { f.node("owner", reference(o)) }
        if let u = t.user {
            if case .user(let id, let name) = u, org.users.contains(where: { $0.id == id && $0.name == name }) {
                f.str("user", name)
            } else {
                f.node("user", ref(u))
            }
        }
        if let o = t.organization, o != .org(id: org.id, name: org.name) { f.node("organization", ref(o)) }
        if let e = t.error {
            var ef = Fields()
            ef.str("message", e.message)
            ef.raw("majorErrorCode", String(e.majorErrorCode))
            ef.str("minorErrorCode", e.minorErrorCode)
            ef.str("vendorSpecificErrorCode", e.vendorSpecificErrorCode)
            ef.str("stackTrace", e.stackTrace)
            f.node("error", ef.mapping)
        }
        f.list("metadata", metadata(t.metadata))
        return f.mapping
    }

    static func event(_ e: Event) -> Node {
        var f = Fields()
        f.str("id", e.id)
        f.str("type", e.type)
        f.str("typeFull", e.typeFull)
        f.str("serviceNamespace", e.serviceNamespace)
        f.raw("success", String(e.success))
        f.raw("timestamp", e.timestamp.iso8601)
        f.node("user", ref(e.user))
        if let o = e.owner { f.node("owner", reference(o)) }
        if let x = e.entity { f.node("entity", ref(x)) }
        f.str("operationName", e.operationName)
        return f.mapping
    }

    static func reference(_ r: Reference) -> Node {
        var f = Fields()
        f.str("href", r.href)
        f.str("name", r.name)
        f.str("type", r.type)
        return f.mapping
    }

    static func ref(_ r: EntityRef) -> Node {
        switch r.parts {
        case .external(let reference):
            return self.reference(reference)
        case .local(let kind, let id, let name):
            var f = Fields()
            f.raw("kind", kind)
            f.str("id", id)
            f.str("name", name)
            return f.mapping
        }
    }

    static func service(_ s: ExtensionService) -> Node {
        var f = Fields()
        f.str("name", s.name)
        f.str("id", s.id)
        f.str("namespace", s.namespace)
        f.str("exchange", s.exchange)
        f.str("routingKey", s.routingKey)
        f.raw("enabled", String(s.enabled))
        f.raw("priority", String(s.priority))
        f.str("vendor", s.vendor)
        f.str("description", s.description)
        f.raw("authorizationEnabled", String(s.authorizationEnabled))
        f.list("filters", s.filters.map { .scalar(Node.Scalar($0.urlPattern, .implicit, .doubleQuoted)) })
        return f.mapping
    }

    static func settings(_ s: FixtureSettings) -> Node {
        var amqp = Fields()
        amqp.str("host", s.amqp.host)
        amqp.raw("port", String(s.amqp.port))
        amqp.str("username", s.amqp.username)
        amqp.str("password", s.amqp.password)
        amqp.str("exchange", s.amqp.exchange)
        amqp.str("vhost", s.amqp.vhost)
        amqp.raw("useSSL", String(s.amqp.useSSL))
        amqp.raw("sslAcceptAll", String(s.amqp.sslAcceptAll))
        amqp.str("prefix", s.amqp.prefix)
        var f = Fields()
        f.raw("configured", String(s.configured))
        f.raw("notifications", String(s.notifications))
        f.node("amqp", amqp.mapping)
        return f.mapping
    }
}
