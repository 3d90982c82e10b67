import VCDCore

/// Writes a state in the fixture format (Fixtures/README.md) so that FixtureLoader reads back exactly the
/// same state: every string is double-quoted, every field the loader would otherwise default is written.
public enum FixtureExporter {
    public static func yaml(_ fixtures: Fixtures) -> String {
        yaml(fixtures.snapshot, settings: fixtures.settings)
    }

    public static func yaml(_ state: StateSnapshot, settings: FixtureSettings? = nil) -> String {
        var w = Writer()
        w.line(0, "# vcd-mock state (fixture format, see Fixtures/README.md)")
        var tasksByOrg: [String: [CloudTask]] = [:]
        for task in state.tasks { tasksByOrg[task.orgID, default: []].append(task) }
        var eventsByOrg: [String: [Event]] = [:]
        for event in state.events { eventsByOrg[event.orgID, default: []].append(event) }
        w.line(0, state.orgs.isEmpty ? "orgs: []" : "orgs:")
        for org in state.orgs { w.org(org, tasks: tasksByOrg[org.id] ?? [], events: eventsByOrg[org.id] ?? []) }
        if !state.services.isEmpty {
            w.line(0, "services:")
            for service in state.services { w.service(service) }
        }
        if let settings { w.settings(settings) }
        return w.text
    }

    /// A YAML double-quoted scalar (JSON-style escapes, which YAML reads the same).
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
                    || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    struct Writer {
        var text = ""

        mutating func line(_ indent: Int, _ s: String) {
            text += String(repeating: " ", count: indent) + s + "\n"
        }

        /// `key: "value"` (first key of a list item when `item`).
        mutating func str(_ indent: Int, _ key: String, _ value: String?, item: Bool = false) {
            guard let value else { return }
            raw(indent, key, quote(value), item: item)
        }

        mutating func raw(_ indent: Int, _ key: String, _ value: String, item: Bool = false) {
            line(item ? indent - 2 : indent, (item ? "- " : "") + key + ": " + value)
        }

        mutating func org(_ org: Org, tasks: [CloudTask], events: [Event]) {
            str(4, "name", org.name, item: true)
            str(4, "id", org.id)
            str(4, "fullName", org.fullName)
            str(4, "description", org.description)
            raw(4, "enabled", String(org.enabled))
            if !org.users.isEmpty {
                line(4, "users:")
                for u in org.users {
                    str(8, "name", u.name, item: true)
                    str(8, "id", u.id)
                    str(8, "password", u.password)
                    str(8, "role", u.role.rawValue)
                    str(8, "fullName", u.fullName)
                    str(8, "email", u.email)
                }
            }
            for kind in InventoryItem.Kind.allCases where !org.items(kind).isEmpty {
                line(4, (kind == .vdc ? "vdcs" : kind.rawValue + "s") + ":")
                for item in org.items(kind) {
                    str(8, "name", item.name, item: true)
                    str(8, "id", item.id)
                    str(8, "description", item.description)
                    contents(of: item, in: org)  // FixtureExporter+VApps.swift
                }
            }
            if !org.metadata.isEmpty {
                line(4, "metadata:")
                let names: [MetadataEntry.ValueType: String] = [.string: "string", .number: "number", .boolean: "boolean",
                                                                 .dateTime: "dateTime"]
                for m in org.metadata {
                    str(8, "key", m.key, item: true)
                    str(8, "value", m.value)
                    raw(8, "type", names[m.type] ?? "string")
                }
            }
            if !tasks.isEmpty {
                line(4, "tasks:")
                for t in tasks { task(t, org: org) }
            }
            if !events.isEmpty {
                line(4, "events:")
                for e in events { event(e) }
            }
        }

        mutating func task(_ t: CloudTask, org: Org) {
            str(8, "id", t.id, item: true)
            str(8, "name", t.name)
            raw(8, "status", t.status.rawValue)
            str(8, "serviceNamespace", t.serviceNamespace)
            str(8, "operation", t.operation)
            str(8, "operationName", t.operationName)
            str(8, "operationKey", t.operationKey)
            str(8, "description", t.description)
            if let p = t.progress { raw(8, "progress", String(p)) }
            str(8, "details", t.details)
            raw(8, "startTime", t.startTime.iso8601)
            if let e = t.endTime { raw(8, "endTime", e.iso8601) }
            raw(8, "expiryTime", t.expiryTime.iso8601)
            if t.cancelRequested { raw(8, "cancelRequested", "true") }
            if let o = t.owner { reference(8, "owner", o) }
            if let u = t.user {
                if case .user(let id, let name) = u, org.users.contains(where: { $0.id == id && $0.name == name }) {
                    str(8, "user", name)
                } else {
                    ref(8, "user", u)
                }
            }
            if let o = t.organization, o != .org(id: org.id, name: org.name) { ref(8, "organization", o) }
            if let e = t.error {
                line(8, "error:")
                str(10, "message", e.message)
                raw(10, "majorErrorCode", String(e.majorErrorCode))
                str(10, "minorErrorCode", e.minorErrorCode)
                str(10, "vendorSpecificErrorCode", e.vendorSpecificErrorCode)
                str(10, "stackTrace", e.stackTrace)
            }
        }

        mutating func event(_ e: Event) {
            str(8, "id", e.id, item: true)
            str(8, "type", e.type)
            str(8, "typeFull", e.typeFull)
            str(8, "serviceNamespace", e.serviceNamespace)
            raw(8, "success", String(e.success))
            raw(8, "timestamp", e.timestamp.iso8601)
            ref(8, "user", e.user)
            if let o = e.owner { reference(8, "owner", o) }
            if let x = e.entity { ref(8, "entity", x) }
            str(8, "operationName", e.operationName)
        }

        mutating func reference(_ indent: Int, _ key: String, _ r: Reference) {
            line(indent, key + ":")
            str(indent + 2, "href", r.href)
            str(indent + 2, "name", r.name)
            str(indent + 2, "type", r.type)
        }

        mutating func ref(_ indent: Int, _ key: String, _ r: EntityRef) {
            let parts: (String, String, String)
            switch r {
            case .external(let reference): return self.reference(indent, key, reference)
            case .user(let id, let name): parts = ("user", id, name)
            case .org(let id, let name): parts = ("org", id, name)
            case .task(let id, let name): parts = ("task", id, name)
            }
            line(indent, key + ":")
            raw(indent + 2, "kind", parts.0)
            str(indent + 2, "id", parts.1)
            str(indent + 2, "name", parts.2)
        }

        mutating func service(_ s: ExtensionService) {
            str(4, "name", s.name, item: true)
            str(4, "id", s.id)
            str(4, "namespace", s.namespace)
            str(4, "exchange", s.exchange)
            str(4, "routingKey", s.routingKey)
            raw(4, "enabled", String(s.enabled))
            raw(4, "priority", String(s.priority))
            str(4, "vendor", s.vendor)
            str(4, "description", s.description)
            raw(4, "authorizationEnabled", String(s.authorizationEnabled))
            if !s.filters.isEmpty {
                line(4, "filters:")
                for f in s.filters { line(6, "- " + quote(f.urlPattern)) }
            }
        }

        mutating func settings(_ s: FixtureSettings) {
            line(0, "settings:")
            raw(2, "configured", String(s.configured))
            raw(2, "notifications", String(s.notifications))
            line(2, "amqp:")
            str(4, "host", s.amqp.host)
            raw(4, "port", String(s.amqp.port))
            str(4, "username", s.amqp.username)
            str(4, "password", s.amqp.password)
            str(4, "exchange", s.amqp.exchange)
            str(4, "vhost", s.amqp.vhost)
            raw(4, "useSSL", String(s.amqp.useSSL))
            raw(4, "sslAcceptAll", String(s.amqp.sslAcceptAll))
            str(4, "prefix", s.amqp.prefix)
        }
    }
}
