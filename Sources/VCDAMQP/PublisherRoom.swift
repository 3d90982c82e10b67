import DequeModule
import Dispatch

/// A request waiting for outbox room without holding a thread.
struct RoomWaiter: Sendable {
    let id: UInt64
    let resume: @Sendable (Bool) -> Void
}

extension Publisher.Shared {
    /// Waiters to resume now, oldest first. A request usually promises two messages (XML and JSON), so
    /// about one waiter per two free places goes on, at least one: a burst of resumed requests does not
    /// overfill the outbox and then block in `enqueue`.
    mutating func admit(capacity: Int) -> [RoomWaiter] {
        let free = capacity - depth
        guard free > 0, !roomWaiters.isEmpty else { return [] }
        let n = min(roomWaiters.count, max(1, free / 2))
        var woken: [RoomWaiter] = []
        woken.reserveCapacity(n)
        for _ in 0..<n { if let w = roomWaiters.popFirst() { woken.append(w) } }
        return woken
    }
}

/// Backpressure for requests without blocking: the HTTP layer suspends the connection while the
/// request waits here, so a full outbox never ties up a libmicrohttpd worker thread.
extension Publisher {
    /// Whether a request may go on now: the outbox has room and nobody waits before it (first come,
    /// first served). One lock, no allocation: this runs on every POST/PUT/DELETE.
    public var hasRoom: Bool {
        shared.withLock { $0.depth < capacity && $0.roomWaiters.isEmpty }
    }

    /// True when the request may go on now. Otherwise false, and `resume` is called once, later, on a
    /// Dispatch queue (never the publisher thread): true when room appeared, false when `timeout`
    /// seconds passed (or the publisher stopped) with the outbox still full.
    public func whenRoom(timeout: Double, _ resume: @escaping @Sendable (Bool) -> Void) -> Bool {
        let (now, id, woken) = shared.withLock { s -> (Bool, UInt64, [RoomWaiter]?) in
            if s.depth < capacity && s.roomWaiters.isEmpty { return (true, 0, []) }
            if s.stopping { return (false, 0, nil) }
            s.lastWaiterID &+= 1
            let id = s.lastWaiterID
            s.roomWaiters.append(RoomWaiter(id: id, resume: resume))
            // Room may exist while others still wait (their wake-up is on its way): admit in order.
            var woken = s.admit(capacity: capacity)
            if let mine = woken.firstIndex(where: { $0.id == id }) {
                woken.remove(at: mine)
                return (true, id, woken)
            }
            return (false, id, woken)
        }
        guard let woken else {
            // Stopped: nothing will make room; answer at once instead of at the deadline.
            DispatchQueue.global().async { resume(false) }
            return false
        }
        Self.resume(woken, true)
        if now { return true }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout)) { [self] in
            let expired = shared.withLock { s -> (RoomWaiter, Bool)? in
                guard let i = s.roomWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return (s.roomWaiters.remove(at: i), s.depth < capacity)
            }
            if let (waiter, room) = expired { waiter.resume(room) }
        }
        return false
    }

    /// Resumes waiting requests if there is room. The publisher calls it when messages leave the outbox;
    /// a resumed request calls it when done, so waiters behind one that promised nothing go on too.
    public func admitRoomWaiters() {
        let woken = shared.withLock { $0.roomWaiters.isEmpty ? [] : $0.admit(capacity: capacity) }
        Self.resume(woken, true)
    }

    /// Requests waiting for room now (for tests and diagnostics).
    public var roomWaiting: Int { shared.withLock { $0.roomWaiters.count } }

    /// At stop: nobody waits for a publisher that is gone; each learns whether there is room.
    func releaseRoomWaiters() {
        let (all, room) = shared.withLock { s -> ([RoomWaiter], Bool) in
            defer { s.roomWaiters.removeAll() }
            return (Array(s.roomWaiters), s.depth < capacity)
        }
        Self.resume(all, room)
    }

    /// Each on its own Dispatch work item: the caller is the publisher thread or holds a request's turn.
    static func resume(_ waiters: [RoomWaiter], _ room: Bool) {
        for w in waiters { DispatchQueue.global().async { w.resume(room) } }
    }
}
