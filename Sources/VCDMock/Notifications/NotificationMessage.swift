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

    /// Bytes appended in place (JSONBytes): no intermediate strings, not even the URNs.
    static func json(_ e: Event, entity: NotificationSubject, user: NotificationSubject) -> [UInt8] {
        var out = JSONBytes(capacity: 512)
        out.field("eventId", id: e.compactID, first: true)
        out.field("type", e.type)
        out.field("timestamp", time: e.timestamp)
        out.raw(e.success ? #","operationSuccess":true"# : #","operationSuccess":false"#)
        out.urnField("user", user.kind, user.id)
        out.urnField("org", "org", e.orgID)
        out.urnField("entity", entity.kind, entity.id)
        if entity.isTask {
            out.urnField("task", entity.kind, entity.id)
            let owner = NotificationSubject.taskOwner(e, orgName: e.orgID)
            out.urnField("taskOwner", owner.kind, owner.id)
        } else if let task = e.task {  // blocking tasks name the task they hold
            let held = NotificationSubject(task)
            out.urnField("task", held.kind, held.id)
            let owner = NotificationSubject.taskOwner(e, orgName: e.orgID)
            out.urnField("taskOwner", owner.kind, owner.id)
        }
        out.raw("}")
        return out.bytes
    }

    /// `<success>.<entityUUID>.<orgUUID>.<userUUID>.<type words>[.<operationName>]`, at most 255 bytes.
    ///
    /// Consumers bind with `*`/`#` patterns that count dot-separated words, so a '.', '#' or '*' inside
    /// an id, type component or operationName becomes '_' and every part stays exactly its words.
    public static func routingKey(_ e: Event) -> String {
        routingKey(e, entity: NotificationSubject(entityOf: e), user: NotificationSubject(e.user))
    }

    static func routingKey(_ e: Event, entity: NotificationSubject, user: NotificationSubject) -> String {
        // One byte buffer: each part's special characters become '_' as it is copied, the type's '/' a '.'.
        var key: [UInt8] = []
        key.reserveCapacity(192)
        key.append(contentsOf: (e.success ? "true." : "false.").utf8)
        word(entity.id, into: &key)
        key.append(UInt8(ascii: "."))
        word(e.orgID, into: &key)
        key.append(UInt8(ascii: "."))
        word(user.id, into: &key)
        key.append(UInt8(ascii: "."))
        copy(e.type, into: &key) { $0 == UInt8(ascii: "/") ? UInt8(ascii: ".") : special($0) ? UInt8(ascii: "_") : $0 }
        // AMQP shortstr: 255 bytes. Only the operationName is cut; the head is cut only if it alone is too long.
        let limit = 255
        guard key.count < limit - 1, let op = e.operationName, !op.isEmpty else {
            return truncated(String(decoding: key, as: UTF8.self), toBytes: limit)
        }
        let head = key.count
        key.append(UInt8(ascii: "."))
        word(op, into: &key)
        guard key.count > limit else { return String(decoding: key, as: UTF8.self) }
        let suffix = truncated(String(decoding: key[(head + 1)...], as: UTF8.self), toBytes: limit - head - 1)
        return String(decoding: key[..<head], as: UTF8.self) + (suffix.isEmpty ? "" : "." + suffix)
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

    /// Byte-wise (the three are ASCII, so UTF-8 stays valid).
    private static func word(_ s: String, into key: inout [UInt8]) {
        copy(s, into: &key) { special($0) ? UInt8(ascii: "_") : $0 }
    }

    /// Appends `s`'s bytes in one copy, then maps them in place (a byte-by-byte append was ~40 instructions a byte).
    private static func copy(_ s: String, into key: inout [UInt8], _ map: (UInt8) -> UInt8) {
        var s = s
        let start = key.count
        s.withUTF8 { key.append(contentsOf: $0) }
        key.withUnsafeMutableBufferPointer { k in
            for i in start..<k.count { k[i] = map(k[i]) }
        }
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
}
