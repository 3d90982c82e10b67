import VCDCore
import VCDXML

/// The parts of an AMQP notification message (reference §6.3) besides its XML body
/// (VCDXML's NotificationDocument): the JSON body, the routing key and the headers.
/// Written by hand, not with JSONEncoder: one body per event on the task and event POST paths.
public enum NotificationMessage {
    /// The JSON body published to `<AmqpPrefix>.notifications20`; keys in the documented order.
    public static func json(_ e: Event) -> [UInt8] {
        json(e, entity: NotificationSubject(entityOf: e), user: NotificationSubject(e.user))
    }

    /// Bytes appended in place (the profile of POST with notifications showed the string joins of the
    /// first version): one array, no intermediate strings but the URNs.
    static func json(_ e: Event, entity: NotificationSubject, user: NotificationSubject) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        func field(_ name: String, _ value: String, first: Bool = false) {
            out.append(contentsOf: first ? #"{""#.utf8 : #",""#.utf8)
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: #"":"#.utf8)
            // Most values need no escape: their bytes go in as they are, without a quoted copy.
            if value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: quoted(value).utf8)
            } else {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: value.utf8)
                out.append(UInt8(ascii: "\""))
            }
        }
        field("eventId", e.id, first: true)
        field("type", e.type)
        field("timestamp", e.timestamp.iso8601)
        out.append(contentsOf: (e.success ? #","operationSuccess":true"# : #","operationSuccess":false"#).utf8)
        field("user", user.urn)
        field("org", urn("org", e.orgID))
        let entityURN = entity.urn
        field("entity", entityURN)
        if entity.isTask {
            field("task", entityURN)
            field("taskOwner", NotificationSubject.taskOwner(e, orgName: e.orgID).urn)
        } else if let task = e.task {  // blocking tasks name the task they hold
            field("task", NotificationSubject(task).urn)
            field("taskOwner", NotificationSubject.taskOwner(e, orgName: e.orgID).urn)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `<success>.<entityUUID>.<orgUUID>.<userUUID>.<type words>[.<operationName>]`, at most 255 bytes.
    ///
    /// Consumers bind with `*`/`#` patterns that count dot-separated words, so a '.', '#' or '*' inside
    /// an id, type component or operationName becomes '_' and every part stays exactly its words.
    public static func routingKey(_ e: Event) -> String {
        routingKey(e, entity: NotificationSubject(entityOf: e), user: NotificationSubject(e.user))
    }

    static func routingKey(_ e: Event, entity: NotificationSubject, user: NotificationSubject) -> String {
        // The type's '/' become the key's '.', in the same pass that replaces the special characters.
        let type = String(decoding: e.type.utf8.map { $0 == UInt8(ascii: "/") ? UInt8(ascii: ".") : special($0) ? UInt8(ascii: "_") : $0 },
                          as: UTF8.self)
        let head = (e.success ? "true." : "false.") + word(entity.id) + "." + word(e.orgID) + "." + word(user.id) + "." + type
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
        Dictionary(uniqueKeysWithValues: sortedHeaders(e, entity: NotificationSubject(entityOf: e), user: NotificationSubject(e.user)))
    }

    /// The same headers in key order, as they are published, without a dictionary.
    static func sortedHeaders(_ e: Event, entity: NotificationSubject, user: NotificationSubject) -> [(key: String, value: String)] {
        [
            ("notification.entityType", entity.kind),
            ("notification.entityUUID", entity.id),
            ("notification.operationSuccess", e.success ? "true" : "false"),
            ("notification.orgUUID", e.orgID),
            ("notification.type", e.type),
            ("notification.userUUID", user.id),
        ]
    }

    private static func special(_ b: UInt8) -> Bool {
        b == UInt8(ascii: ".") || b == UInt8(ascii: "#") || b == UInt8(ascii: "*")
    }

    /// Byte-wise (the three are ASCII, so UTF-8 stays valid); most words need no change and are returned as is.
    private static func word(_ s: String) -> String {
        guard s.utf8.contains(where: special) else { return s }
        return String(decoding: s.utf8.map { special($0) ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
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
        // The profile of POST with notifications showed this per-scalar loop: most values need no escape.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
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
