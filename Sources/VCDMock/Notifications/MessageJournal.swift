import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VCDAMQP
import VCDCore

/// One published notification as `GET /mock/messages` shows it: the message, the event it came from and
/// the latest word from the broker.
public struct MessageEntry: Sendable {
    public enum Status: String, Sendable, CaseIterable { case pending, confirmed, returned, nacked, refused }

    public let time: Timestamp
    public let message: OutgoingMessage
    public let eventID: String
    public let eventType: String
    /// The task a task event is about.
    public let taskID: String?
    public let orgID: String
    public let orgName: String
    public var status: Status = .pending
    /// Times sent to the broker (retries after a return or nack count again).
    public var attempts = 0
}

/// The last `capacity` messages the notifier enqueued, oldest first; older ones are dropped and counted.
/// Status updates from the publisher find their entry through an index of (message id, exchange).
public final class MessageJournal: Sendable {
    struct State {
        var ring: BoundedRing<MessageEntry>
        /// "id\0exchange" -> slot
        var index: [String: Int] = [:]
    }

    public let capacity: Int
    private let state: Locked<State>
    /// Told after statuses changed (the `/mock/wait` registry), outside the lock.
    let observers = Observers<WeakMessageObserver>()

    public init(capacity: Int) {
        let ring = BoundedRing<MessageEntry>(capacity: capacity)
        self.capacity = ring.capacity
        self.state = Locked(State(ring: ring))
    }

    static func key(_ id: String, _ exchange: String) -> String { id + "\u{0}" + exchange }

    public func record(_ entries: [MessageEntry]) {
        guard !entries.isEmpty else { return }
        let evicted: [MessageEntry] = state.withLock { s in
            var old: [MessageEntry] = []
            for e in entries {
                let (slot, gone) = s.ring.append(e)
                if let gone {
                    let goneKey = Self.key(gone.message.messageID, gone.message.exchange)
                    if s.index[goneKey] == slot { s.index[goneKey] = nil }
                    old.append(gone)
                }
                s.index[Self.key(e.message.messageID, e.message.exchange)] = slot
            }
            return old
        }
        _ = evicted
        // No notify here: the event behind these messages was just recorded, and that already woke the waiters.
    }

    /// Publisher status changes: `published` counts an attempt; the others set the status.
    public func update(_ changes: [Publisher.StatusChange]) {
        state.withLock { s in
            for c in changes {
                guard let slot = s.index[Self.key(c.messageID, c.exchange)] else { continue }
                switch c.status {
                case .published: s.ring[slot].attempts += 1
                case .confirmed: s.ring[slot].status = .confirmed
                case .returned: s.ring[slot].status = .returned
                case .nacked: s.ring[slot].status = .nacked
                case .refused: s.ring[slot].status = .refused
                }
            }
        }
        if changes.contains(where: { $0.status != .published }) { notify() }
    }

    func notify() {
        observers.forEach { $0.messagesChanged() }
    }

    /// Entries oldest first, and how many were dropped since the last clear.
    public func snapshot() -> (entries: [MessageEntry], dropped: Int) {
        state.withLock { ($0.ring.inOrder, $0.ring.dropped) }
    }

    /// The newest entry that matches, found under the lock without copying the ring.
    func last(where match: (MessageEntry) -> Bool) -> MessageEntry? {
        state.withLock { $0.ring.last(where: match) }
    }

    public func clear() {
        var old = State(ring: BoundedRing(capacity: capacity))
        state.withLock { swap(&$0, &old) }
    }
}

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
        try allowed(c)
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
        try allowed(c)
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
        time = e.time.iso8601
        messageId = e.message.messageID
        exchange = e.message.exchange
        routingKey = e.message.routingKey
        contentType = e.message.contentType
        status = e.status.rawValue
        attempts = e.attempts
        headers = Dictionary(e.message.headers.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        if let text = String(validating: e.message.body, as: UTF8.self) {
            body = text
            bodyEncoding = "utf8"
        } else {
            body = Data(e.message.body).base64EncodedString()
            bodyEncoding = "base64"
        }
        eventId = e.eventID
        eventType = e.eventType
        org = e.orgID
        orgName = e.orgName
        taskId = e.taskID
    }
}

/// Told when message statuses change (the /mock/wait registry).
protocol MessageObserver: AnyObject, Sendable {
    func messagesChanged()
}

struct WeakMessageObserver: WeakReference {
    weak var value: (any MessageObserver)?
    init(_ observer: any MessageObserver) { value = observer }
}
