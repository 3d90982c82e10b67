import Foundation
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
        var index: [Key: Int] = [:]
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

    /// A message's identity: both strings shared with the message, no concatenated copy per lookup.
    struct Key: Hashable {
        let id: String
        let exchange: String
    }

    static func key(_ id: String, _ exchange: String) -> Key { Key(id: id, exchange: exchange) }

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

/// Told when message statuses change (the /mock/wait registry).
protocol MessageObserver: AnyObject, Sendable {
    func messagesChanged()
}

struct WeakMessageObserver: WeakReference {
    weak var value: (any MessageObserver)?
    init(_ observer: any MessageObserver) { value = observer }
}
