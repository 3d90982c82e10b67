import VCDCore

/// One handled request as `GET /mock/requests` shows it. Only values the request path already has: no
/// formatting happens when it is recorded.
public struct JournalEntry: Sendable {
    public let time: Timestamp
    public let method: String
    public let path: String
    public let query: String?
    public let status: Int
    public let micros: UInt64
    public let org: String?
    public let user: String?
    public let requestID: String
}

/// The last `capacity` handled requests, oldest first; older ones are dropped and counted.
/// A fixed ring under a short lock: recording is one slot write, and the evicted entry is released
/// after the lock is let go.
public final class RequestJournal: Sendable {
    public let capacity: Int
    private let ring: Locked<BoundedRing<JournalEntry>>

    public init(capacity: Int) {
        let ring = BoundedRing<JournalEntry>(capacity: capacity)
        self.capacity = ring.capacity
        self.ring = Locked(ring)
    }

    public func record(_ entry: JournalEntry) {
        let evicted = ring.withLock { $0.append(entry).evicted }
        _ = evicted
    }

    /// Entries oldest first, and how many were dropped since the last clear.
    public func snapshot() -> (entries: [JournalEntry], dropped: Int) {
        ring.withLock { ($0.inOrder, $0.dropped) }
    }

    public func clear() {
        var old = BoundedRing<JournalEntry>(capacity: capacity)
        ring.withLock { swap(&$0, &old) }
    }
}
