import VCDCore

/// AMQP notification messages (reference §6.3): the XML body, the JSON body, routing key and headers.
public enum NotificationDocument {
    /// `vmext:Notification`, published to the settings' `AmqpExchange`.
    public static func xml(_ e: Event, orgName: String, hrefs: Hrefs) -> [UInt8] {
        let entity = NotificationSubject(e.entity ?? e.user)
        let w = XMLWriter()
        w.start("vmext:Notification")
        w.attribute("xmlns:vmext", Namespace.vmext)
        w.attribute("xmlns:vcloud", Namespace.vcloud)
        w.attribute("type", e.type)
        w.attribute("eventId", e.id)
        w.start("vcloud:Link")
        w.attribute("rel", "entityResolver")
        w.attribute("href", hrefs.api("entity/"))
        w.end()
        entityLink(w, "entity", entity)
        entityLink(w, "down", NotificationSubject(e.user))
        entityLink(w, "up", NotificationSubject(kind: "org", id: e.orgID, name: orgName))
        if entity.isTask {
            entityLink(w, "task", entity)
            entityLink(w, "task:owner", taskOwner(e, orgName: orgName))
        }
        w.element("vmext:Timestamp", e.timestamp.iso8601)
        w.element("vmext:OperationSuccess", e.success ? "true" : "false")
        w.end()
        return w.finish()
    }

    /// The JSON body published to `<AmqpPrefix>.notifications20`; keys in the documented order.
    public static func json(_ e: Event, hrefs: Hrefs) -> [UInt8] {
        let entity = NotificationSubject(e.entity ?? e.user)
        var fields: [(String, String)] = [
            ("eventId", quoted(e.id)), ("type", quoted(e.type)), ("timestamp", quoted(e.timestamp.iso8601)),
            ("operationSuccess", e.success ? "true" : "false"),
            ("user", quoted(NotificationSubject(e.user).urn)), ("org", quoted(urn("org", e.orgID))),
            ("entity", quoted(entity.urn)),
        ]
        if entity.isTask {
            fields.append(("task", quoted(entity.urn)))
            fields.append(("taskOwner", quoted(taskOwner(e, orgName: e.orgID).urn)))
        }
        return Array(("{" + fields.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}").utf8)
    }

    /// `<success>.<entityUUID>.<orgUUID>.<userUUID>.<type words>[.<operationName>]`, at most 255 bytes.
    ///
    /// Consumers bind with `*`/`#` patterns that count dot-separated words, so a '.', '#' or '*' inside
    /// an id, type component or operationName becomes '_' and every part stays exactly its words.
    /// The task's Owner, or its org when the service posted none (consumers expect a task owner).
    fileprivate static func taskOwner(_ e: Event, orgName: String) -> NotificationSubject {
        NotificationSubject(e.owner.map(EntityRef.external) ?? .org(id: e.orgID, name: orgName))
    }

    public static func routingKey(_ e: Event) -> String {
        let entity = NotificationSubject(e.entity ?? e.user)
        let type = e.type.split(separator: "/", omittingEmptySubsequences: false).map { word(String($0)) }
        let ids = [entity.id, e.orgID, NotificationSubject(e.user).id].map(word)
        let head = ([e.success ? "true" : "false"] + ids + type).joined(separator: ".")
        // AMQP shortstr: 255 bytes. Only the operationName is cut; the head is cut only if it alone is too long.
        let limit = 255
        guard head.utf8.count < limit - 1, let op = e.operationName, !op.isEmpty else {
            return truncated(head, toBytes: limit)
        }
        let suffix = truncated(word(op), toBytes: limit - head.utf8.count - 1)
        return suffix.isEmpty ? head : head + "." + suffix
    }

    /// AMQP headers vCD sets on every notification (5.5 set; the 10.x extras are not sent).
    public static func headers(_ e: Event) -> [String: String] {
        let entity = NotificationSubject(e.entity ?? e.user)
        return [
            "notification.type": e.type,
            "notification.entityType": entity.kind,
            "notification.entityUUID": entity.id,
            "notification.orgUUID": e.orgID,
            "notification.userUUID": NotificationSubject(e.user).id,
            "notification.operationSuccess": e.success ? "true" : "false",
        ]
    }

    // MARK: Helpers

    private static func entityLink(_ w: XMLWriter, _ rel: String, _ s: NotificationSubject) {
        w.start("vcloud:EntityLink")
        w.attribute("rel", rel)
        w.attribute("type", "vcloud:" + s.kind)
        w.attribute("name", s.name)
        w.attribute("id", s.urn)
        w.end()
    }

    private static func word(_ s: String) -> String {
        String(s.map { $0 == "." || $0 == "#" || $0 == "*" ? "_" : $0 })
    }

    /// Cuts on a character boundary so the key stays valid UTF-8.
    private static func truncated(_ s: String, toBytes max: Int) -> String {
        guard s.utf8.count > max else { return s }
        var out = ""
        var used = 0
        for c in s {
            let n = c.utf8.count
            if used + n > max { break }
            out.append(c)
            used += n
        }
        return out
    }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// What an EntityLink, URN and routing-key word need: a `vcloud:<kind>`, a bare id and a name.
private struct NotificationSubject: Equatable {
    var kind: String
    var id: String
    var name: String?

    init(kind: String, id: String, name: String?) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    init(_ ref: EntityRef) {
        switch ref {
        case .user(let id, let name): self.init(kind: "user", id: id, name: name)
        case .org(let id, let name): self.init(kind: "org", id: id, name: name)
        case .task(let id, let name): self.init(kind: "task", id: id, name: name)
        case .external(let r): self.init(external: r)
        }
    }

    /// A client's reference: kind from its media type (else from the href path), id from the href's last segment.
    init(external r: Reference) {
        var path = Substring(r.href)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        let segments = path.split(separator: "/")
        let kind = r.type.flatMap(Self.kind(mediaType:))
            ?? (segments.count >= 2 ? Self.normalized(String(segments[segments.count - 2])) : "entity")
        var id = segments.last.map(String.init) ?? r.href
        // vCD hrefs such as /api/vApp/vapp-<uuid> carry the kind; the URN holds only the uuid.
        if id.lowercased().hasPrefix(kind.lowercased() + "-"), id.count > kind.count + 1 {
            id = String(id.dropFirst(kind.count + 1))
        }
        self.init(kind: kind, id: id, name: r.name)
    }

    var urn: String { VCDXML.urn(kind, id) }
    var isTask: Bool { kind == "task" }

    /// `application/vnd.vmware.vcloud.org+xml` → `org`.
    static func kind(mediaType: String) -> String? {
        let bare = mediaType.split(separator: ";").first.map(String.init) ?? mediaType
        guard let plus = bare.lastIndex(of: "+") else { return nil }
        let name = bare[..<plus].split(separator: ".").last.map(String.init) ?? ""
        return name.isEmpty ? nil : normalized(name)
    }

    /// vCD's URN kinds are lower case, and admin views name some entities differently.
    static func normalized(_ name: String) -> String {
        let aliases = ["organization": "org", "adminorg": "org", "systemorganization": "org",
                       "orgnetwork": "network", "blockingtask": "blockingTask"]
        let lower = name.lowercased()
        return aliases[lower] ?? lower
    }
}
