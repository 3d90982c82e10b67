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
    struct Ring {
        var items: [JournalEntry] = []
        var head = 0
        var dropped = 0
    }

    public let capacity: Int
    private let ring: Locked<Ring>

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        var ring = Ring()
        ring.items.reserveCapacity(min(self.capacity, 4096))
        self.ring = Locked(ring)
    }

    public func record(_ entry: JournalEntry) {
        let capacity = self.capacity
        let evicted: JournalEntry? = ring.withLock { r in
            if r.items.count < capacity {
                r.items.append(entry)
                return nil
            }
            let old = r.items[r.head]
            r.items[r.head] = entry
            r.head += 1
            if r.head == capacity { r.head = 0 }
            r.dropped += 1
            return old
        }
        _ = evicted
    }

    /// Entries oldest first, and how many were dropped since the last clear.
    public func snapshot() -> (entries: [JournalEntry], dropped: Int) {
        ring.withLock { r in
            (Array(r.items[r.head...] + r.items[..<r.head]), r.dropped)
        }
    }

    public func clear() {
        let old: Ring = ring.withLock { r in
            let old = r
            r = Ring()
            return old
        }
        _ = old
    }
}
