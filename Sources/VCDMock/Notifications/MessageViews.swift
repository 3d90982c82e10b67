import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VCDCore

/// Filters shared by `GET /mock/messages` and `GET /mock/wait?message=`.
struct MessageFilter {
    var routingKey: String?
    var task: String?
    var org: String?
    var status: MessageEntry.Status?
    var exchange: String?

    init(_ q: [String: String], status statusText: String?) throws(APIError) {
        routingKey = q["routingKey"]
        task = q["task"].map(WaitQuery.bareID)
        org = q["org"]?.lowercased()
        exchange = q["exchange"]
        if let statusText, statusText != "*", statusText != "any" {
            guard let s = MessageEntry.Status(rawValue: statusText.lowercased()) else {
                throw .badRequest("status \(statusText) is not one of \(MessageEntry.Status.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = s
        }
    }

    func matches(_ e: MessageEntry) -> Bool {
        if let status, e.status != status { return false }
        if let exchange, e.message.exchange != exchange { return false }
        if let task, e.taskID != task { return false }
        if let org, e.orgID.lowercased() != org && e.orgName.lowercased() != org { return false }
        if let routingKey, !Glob.matches(routingKey, e.message.routingKey, substring: true) { return false }
        return true
    }
}

/// `*` (any run) and `?` (one character) patterns, matched by the C library's fnmatch(3); without
/// them, a substring or exact match.
enum Glob {
    static func matches(_ pattern: String, _ text: String, substring: Bool) -> Bool {
        guard pattern.contains("*") || pattern.contains("?") else {
            return substring ? text.contains(pattern) : text == pattern
        }
        // FNM_NOESCAPE: a backslash is an ordinary character in a routing key.
        return fnmatch(pattern, text, FNM_NOESCAPE) == 0
    }
}

extension ControlStatus {
    /// Filters: `routingKey` (substring or glob), `task` (id or urn), `org` (id or name), `status`,
    /// `exchange` (exact), `limit` (the newest N that match).
    static func messages(_ c: Context) throws(APIError) -> Reply {
        let q = c.request.queryItems
        let limit = try limitParameter(q)
        var filter = try MessageFilter(q, status: q["status"])
        // A name the notifier does not know (no org names given) still finds the org's id.
        if let org = q["org"], let id = c.store.orgID(idOrName: org) { filter.org = id.lowercased() }
        let journal = c.notifier.messages
        let (entries, dropped) = journal.snapshot()
        var matched = entries.filter(filter.matches)
        if let limit, matched.count > limit { matched.removeFirst(matched.count - limit) }
        return try json(MessagesView(messages: matched.map(MessageView.init), kept: entries.count, dropped: dropped,
                                     capacity: journal.capacity))
    }

    static func clearMessages(_ c: Context) throws(APIError) -> Reply {
        c.notifier.messages.clear()
        return .noContent
    }
}

struct MessagesView: Encodable {
    let messages: [MessageView]
    let kept, dropped, capacity: Int
}

struct MessageView: Encodable {
    let time, messageId, exchange, routingKey, contentType, status: String
    let attempts: Int
    let headers: [String: String]
    let body: String
    /// "utf8" or "base64".
    let bodyEncoding: String
    let eventId, eventType, org, orgName: String
    @NullIfNil var taskId: String?

    init(_ e: MessageEntry) {
        // A notification is rendered when asked (NotificationSource): once here, for all its parts.
        let made = e.message.made()
        time = e.time.iso8601
        messageId = made.messageID
        exchange = e.message.exchange
        routingKey = made.routingKey
        contentType = e.message.contentType
        status = e.status.rawValue
        attempts = e.attempts
        headers = Dictionary(made.headers.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        if let text = String(validating: made.body, as: UTF8.self) {
            body = text
            bodyEncoding = "utf8"
        } else {
            body = Data(made.body).base64EncodedString()
            bodyEncoding = "base64"
        }
        eventId = e.eventID
        eventType = e.eventType
        org = e.orgID
        orgName = e.orgName
        taskId = e.taskID
    }
}
