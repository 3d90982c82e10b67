import DequeModule
import Dispatch
import Foundation
import Synchronization

/// Publishes with confirms from one dedicated thread (rabbitmq-c is blocking and not thread-safe).
/// Callers enqueue and return at once. A message leaves the outbox only when the broker acked it
/// and did not return it; nacks, returns and connection loss lead to retry with backoff.
public final class Publisher: Sendable {
    struct Entry: Sendable {
        var message: OutgoingMessage
        var attempts = 0
        var due: UInt64 = 0
    }

    struct Shared: Sendable {
        var ready = Deque<Entry>()
        var delayed: [Entry] = []
        var inflight = 0
        var endpoint: AMQPEndpoint?
        var exchanges: [ExchangeDeclaration] = []
        var generation = 0
        var stopping = false
        var stats = PublisherStats()
        /// Fault injection: confirms still to be treated as nacks, and a pending connection drop.
        var injectedNacks = 0
        var dropRequested = false
        /// Requests waiting for room without a thread (`whenRoom`), oldest first.
        var roomWaiters = Deque<RoomWaiter>()
        var lastWaiterID: UInt64 = 0
        /// The one deadline timer for `roomWaiters` is pending.
        var roomTimerArmed = false
        /// The publisher thread found nothing to send and sleeps on `wake`: only then does `enqueue` signal
        /// it (a futex call per POST otherwise), and a reconnect backoff is not cut short by every message.
        var idle = false
        var depth: Int { ready.count + delayed.count + inflight }
    }

    let shared: Mutex<Shared>
    public let capacity: Int
    let wake = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let thread = OnceThread(name: "vcd-mock-amqp")
    let log: @Sendable (String) -> Void
    /// Signalled when messages leave the outbox; requests waiting for room sleep on it.
    let room = NSCondition()
    /// How long a full outbox makes a caller wait for room before refusing (seconds).
    public let roomWait: Double
    /// Told what happened to messages, in batches, outside the lock (set once, at init).
    let onStatus: (@Sendable ([StatusChange]) -> Void)?

    /// What happened to a message: sent, acked, returned unroutable, nacked, or refused by an outbox that
    /// stayed full for `roomWait` seconds (or had no broker to drain it).
    public enum Status: String, Sendable { case published, confirmed, returned, nacked, refused }

    public struct StatusChange: Sendable {
        public let message: OutgoingMessage
        public let status: Status
        /// The message's `serial` (0 when it was not journaled).
        public var serial: UInt64 { message.serial }

        public init(_ m: OutgoingMessage, _ status: Status) {
            message = m
            self.status = status
        }
    }

    /// `log` receives one line per notable change (connect, loss, refusal).
    public init(endpoint: AMQPEndpoint?, exchanges: [ExchangeDeclaration], capacity: Int, roomWait: Double = 5,
                log: @escaping @Sendable (String) -> Void = { _ in },
                onStatus: (@Sendable ([StatusChange]) -> Void)? = nil) {
        self.onStatus = onStatus
        var s = Shared()
        s.endpoint = endpoint
        s.exchanges = exchanges
        s.stats.outboxCapacity = capacity
        s.stats.endpoint = endpoint?.description
        shared = Mutex(s)
        self.capacity = max(1, capacity)
        self.roomWait = max(0, roomWait)
        self.log = log
        if endpoint != nil { startThread() }
    }

    /// The thread starts with the first broker or message, so an unused publisher costs nothing.
    func startThread() {
        thread.start { [self] in PublisherLoop(publisher: self).run() }
    }

    /// Queues messages; returns how many were accepted. A full outbox makes the caller wait (outside any
    /// store lock: the notifier is told after the store released it) up to `roomWait` seconds for the
    /// broker to confirm older ones; only what still finds no room then is refused, counted and logged.
    /// Without a broker nothing will make room, so messages are refused at once.
    @discardableResult
    public func enqueue(_ messages: [OutgoingMessage]) -> Int {
        var deadline: Date?
        var next = 0
        var waited = false
        while true {
            let (added, canWait, sleeping) = shared.withLock { s -> (Int, Bool, Bool) in
                var n = 0
                while next < messages.count, s.depth < capacity {
                    s.ready.append(Entry(message: messages[next]))
                    next += 1
                    n += 1
                }
                s.stats.outboxDepth = s.depth
                let sleeping = n > 0 && s.idle
                if sleeping { s.idle = false }
                return (n, s.endpoint != nil && !s.stopping, sleeping)
            }
            if added > 0 {
                if !thread.isStarted { startThread() }
                if sleeping { wake.signal() }
            }
            if next == messages.count || !canWait { break }
            waited = true
            let until = deadline ?? Date().addingTimeInterval(roomWait)
            deadline = until
            if !waitForRoom(until: until) { break }
        }
        if next < messages.count { refuse(Array(messages[next...]), waited: waited) }
        return next
    }

    func refuse(_ messages: [OutgoingMessage], waited: Bool) {
        shared.withLock { $0.stats.refused += messages.count }
        let why = waited ? "still full after waiting \(roomWait) s" : "full and no broker configured"
        log("AMQP outbox (\(capacity) messages, --outbox-size) \(why): refused \(messages.count) message(s)")
        onStatus?(messages.map { StatusChange($0, .refused) })
    }

    /// Backpressure for requests: waits up to `timeout` seconds until the outbox has room for one more
    /// message. False means it stayed full; the caller should refuse the work (503), not promise more.
    public func waitForRoom(timeout: Double) -> Bool {
        waitForRoom(until: Date().addingTimeInterval(timeout))
    }

    func waitForRoom(until deadline: Date) -> Bool {
        room.lock()
        defer { room.unlock() }
        while true {
            let (full, stopping) = shared.withLock { ($0.depth >= capacity, $0.stopping) }
            if !full { return true }
            if stopping || !room.wait(until: deadline) { return !shared.withLock { $0.depth >= capacity } }
        }
    }

    /// Called by the publisher thread whenever messages leave the outbox: wakes blocked `enqueue` calls
    /// and resumes requests waiting in `whenRoom`.
    func roomMade() {
        room.lock()
        room.broadcast()
        room.unlock()
        admitRoomWaiters()
    }

    /// Switches broker or exchanges; queued and unconfirmed messages are kept and go to the new one.
    public func reconfigure(endpoint: AMQPEndpoint?, exchanges: [ExchangeDeclaration]) {
        shared.withLock { s in
            s.endpoint = endpoint
            s.exchanges = exchanges
            s.generation += 1
            s.stats.endpoint = endpoint?.description
        }
        startThread()
        wake.signal()
    }

    public var stats: PublisherStats { shared.withLock { $0.stats } }

    /// Fault injection: the next `count` acks are treated as nacks (counted as nacked, retried).
    public func injectNacks(_ count: Int) {
        shared.withLock { $0.injectedNacks += max(0, count) }
    }

    /// Fault injection: the broker connection is dropped once (now, or as soon as there is one); the
    /// publisher reconnects and sends unconfirmed messages again.
    public func dropConnection() {
        shared.withLock { $0.dropRequested = true }
        wake.signal()
    }

    /// Waits until everything queued is confirmed (or the timeout passes).
    public func drain(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if shared.withLock({ $0.depth }) == 0 { return true }
            usleep(10_000)
        }
        return false
    }

    public func stop() {
        let running = shared.withLock { s -> Bool in
            s.stopping = true
            return thread.isStarted
        }
        roomMade()
        releaseRoomWaiters()
        guard running else { return }
        wake.signal()
        _ = finished.wait(timeout: .now() + 5)
    }
}
