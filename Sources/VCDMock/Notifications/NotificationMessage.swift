import VCDCore
import VCDXML

/// The parts of an AMQP notification message (reference §6.3) besides its XML body
/// (VCDXML's NotificationDocument): the JSON body, the routing key and the headers.
/// Written by hand, not with JSONEncoder: one body per event on the task and event POST paths.
public enum NotificationMessage {
    /// The JSON body published to `<AmqpPrefix>.notifications20`; keys in the documented order.
    public static func json(_ e: Event) -> [UInt8] {
        let entity = NotificationSubject(entityOf: e)
        var fields: [(String, String)] = [
            ("eventId", quoted(e.id)), ("type", quoted(e.type)), ("timestamp", quoted(e.timestamp.iso8601)),
            ("operationSuccess", e.success ? "true" : "false"),
            ("user", quoted(NotificationSubject(e.user).urn)), ("org", quoted(urn("org", e.orgID))),
            ("entity", quoted(entity.urn)),
        ]
        if entity.isTask {
            fields.append(("task", quoted(entity.urn)))
            fields.append(("taskOwner", quoted(NotificationSubject.taskOwner(e, orgName: e.orgID).urn)))
        } else if let task = e.task {
            fields.append(("task", quoted(NotificationSubject(task).urn)))
            fields.append(("taskOwner", quoted(NotificationSubject.taskOwner(e, orgName: e.orgID).urn)))
        }
        return Array(("{" + fields.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}").utf8)
    }

    /// `<success>.<entityUUID>.<orgUUID>.<userUUID>.<type words>[.<operationName>]`, at most 255 bytes.
    ///
    /// Consumers bind with `*`/`#` patterns that count dot-separated words, so a '.', '#' or '*' inside
    /// an id, type component or operationName becomes '_' and every part stays exactly its words.
    public static func routingKey(_ e: Event) -> String {
        let entity = NotificationSubject(entityOf: e)
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
        let entity = NotificationSubject(entityOf: e)
        return [
            "notification.type": e.type,
            "notification.entityType": entity.kind,
            "notification.entityUUID": entity.id,
            "notification.orgUUID": e.orgID,
            "notification.userUUID": NotificationSubject(e.user).id,
            "notification.operationSuccess": e.success ? "true" : "false",
        ]
    }

    /// Byte-wise (the three are ASCII, so UTF-8 stays valid); most words need no change and are returned as is.
    private static func word(_ s: String) -> String {
        let special: (UInt8) -> Bool = { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "*") }
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
