import DequeModule
import Dispatch

/// A request waiting for outbox room without holding a thread.
struct RoomWaiter: Sendable {
    let id: UInt64
    /// `DispatchTime` uptime nanoseconds after which it is answered without room.
    let deadline: UInt64
    let resume: @Sendable (Bool) -> Void
}

extension Publisher.Shared {
    /// Waiters to resume now, oldest first. A request usually promises two messages (XML and JSON), so
    /// about one waiter per two free places goes on, at least one: a burst of resumed requests does not
    /// overfill the outbox and then block in `enqueue`. Nobody goes on before a batch's worth of room is
    /// free (an eighth of the outbox, at most 64): waking a few requests per confirm cost more context
    /// switches than the requests themselves, CPU the broker on the same machine then lacked.
    mutating func admit(capacity: Int) -> [RoomWaiter] {
        let free = capacity - depth
        guard free >= max(1, min(capacity / 8, 64)) || (free > 0 && inflight == 0 && ready.isEmpty),
              !roomWaiters.isEmpty else { return [] }
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
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, timeout) * 1e9)
        let (now, woken, arm) = shared.withLock { s -> (Bool, [RoomWaiter]?, Bool) in
            if s.depth < capacity && s.roomWaiters.isEmpty { return (true, [], false) }
            if s.stopping { return (false, nil, false) }
            s.lastWaiterID &+= 1
            let id = s.lastWaiterID
            s.roomWaiters.append(RoomWaiter(id: id, deadline: deadline, resume: resume))
            // One timer for all waiters: armed for the first, then re-armed by each expiry for the next.
            let arm = !s.roomTimerArmed
            s.roomTimerArmed = true
            // Room may exist while others still wait (their wake-up is on its way): admit in order.
            var woken = s.admit(capacity: capacity)
            if let mine = woken.firstIndex(where: { $0.id == id }) {
                woken.remove(at: mine)
                return (true, woken, arm)
            }
            return (false, woken, arm)
        }
        guard let woken else {
            // Stopped: nothing will make room; answer at once instead of at the deadline.
            DispatchQueue.global().async { resume(false) }
            return false
        }
        Self.resume(woken, true)
        if arm { armRoomTimer(at: deadline) }
        return now
    }

    /// Answers the waiters whose deadline passed (with whether there is room now), then re-arms for the
    /// earliest deadline left.
    func armRoomTimer(at deadline: UInt64) {
        DispatchQueue.global().asyncAfter(deadline: DispatchTime(uptimeNanoseconds: deadline)) { [self] in
            let now = DispatchTime.now().uptimeNanoseconds
            let (expired, room, next) = shared.withLock { s -> ([RoomWaiter], Bool, UInt64?) in
                var expired: [RoomWaiter] = []
                var next: UInt64?
                s.roomWaiters.removeAll { w in
                    if w.deadline <= now { expired.append(w); return true }
                    next = min(next ?? w.deadline, w.deadline)
                    return false
                }
                s.roomTimerArmed = next != nil
                return (expired, s.depth < capacity, next)
            }
            Self.resume(expired, room)
            if let next { armRoomTimer(at: next) }
        }
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

    /// Off the caller's thread (the publisher thread, or a request's turn), in a few work items of up to 16
    /// waiters each rather than one per waiter: the two cores share them without a thread switch per request.
    static func resume(_ waiters: [RoomWaiter], _ room: Bool) {
        var start = 0
        while start < waiters.count {
            let batch = waiters[start..<min(start + 16, waiters.count)]
            DispatchQueue.global().async { for w in batch { w.resume(room) } }
            start += 16
        }
    }
}
