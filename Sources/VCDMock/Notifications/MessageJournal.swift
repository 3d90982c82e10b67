import Foundation
import VCDAMQP
import VCDCore

/// One published notification as `GET /mock/messages` shows it: the message, the event it came from and
/// the latest word from the broker.
public struct MessageEntry: Sendable {
    public enum Status: String, Sendable, CaseIterable { case pending, confirmed, returned, nacked, refused }

    public var message: OutgoingMessage
    /// The event the message reports (its ids are worked out when someone asks).
    public let event: Event
    public let orgName: String
    public var status: Status = .pending
    /// Times sent to the broker (retries after a return or nack count again).
    public var attempts = 0

    public init(message: OutgoingMessage, event: Event, orgName: String) {
        self.message = message
        self.event = event
        self.orgName = orgName
    }

    public var time: Timestamp { event.timestamp }
    public var eventID: String { event.id }
    public var eventType: String { event.type }
    public var orgID: String { event.orgID }
    /// The task a task event is about (a blocking-task event names the task it holds).
    public var taskID: String? {
        if case .task(let id, _) = event.entity { return id }
        if case .task(let id, _)? = event.task { return id }
        return nil
    }
}

/// The last `capacity` messages the notifier enqueued, oldest first; older ones are dropped and counted.
/// Each recorded message gets the next serial number; the ring holds serials `next - count ..< next` in
/// age order, so a status update finds its slot by arithmetic (no index to hash or keep in step).
public final class MessageJournal: Sendable {
    struct State {
        var ring: BoundedRing<MessageEntry>
        /// The serial the next recorded message gets; never reset, so a late update of a cleared
        /// message cannot land on a newer one.
        var next: UInt64 = 1

        /// The ring slot of a serial still held, or nil.
        func slot(_ serial: UInt64) -> Int? {
            let count = UInt64(ring.count)
            guard serial < next, serial + count >= next, count > 0 else { return nil }
            return (ring.head + Int(serial + count - next)) % ring.count
        }
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

    /// Records the entries in order and numbers them; returns the first serial (the others follow),
    /// which the caller gives the messages it enqueues.
    @discardableResult
    public func record(_ entries: [MessageEntry]) -> UInt64 {
        guard !entries.isEmpty else { return 0 }
        // Overwritten entries are released after the lock is let go.
        var evicted: [MessageEntry] = []
        let first: UInt64 = state.withLock { s in
            let first = s.next
            for var e in entries {
                e.message.serial = s.next
                s.next += 1
                if let gone = s.ring.append(e).evicted { evicted.append(gone) }
            }
            return first
        }
        evicted.removeAll()
        // No notify here: the event behind these messages was just recorded, and that already woke the waiters.
        return first
    }

    /// Publisher status changes: `published` counts an attempt; the others set the status.
    public func update(_ changes: [Publisher.StatusChange]) {
        state.withLock { s in
            for c in changes {
                guard let slot = s.slot(c.serial) else { continue }
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
        var old = BoundedRing<MessageEntry>(capacity: capacity)
        state.withLock { swap(&$0.ring, &old) }
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
