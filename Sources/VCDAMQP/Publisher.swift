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
        var depth: Int { ready.count + delayed.count + inflight }
    }

    let shared: Mutex<Shared>
    let capacity: Int
    let wake = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let thread = OnceThread(name: "vcd-mock-amqp")
    let log: @Sendable (String) -> Void
    /// Told what happened to messages, in batches, outside the lock (set once, at init).
    let onStatus: (@Sendable ([StatusChange]) -> Void)?

    /// What happened to a message: sent, acked, returned unroutable, nacked, or refused by a full outbox.
    public enum Status: String, Sendable { case published, confirmed, returned, nacked, refused }

    public struct StatusChange: Sendable {
        public let messageID: String
        public let exchange: String
        public let status: Status
    }

    /// `log` receives one line per notable change (connect, loss, refusal).
    public init(endpoint: AMQPEndpoint?, exchanges: [ExchangeDeclaration], capacity: Int,
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
        self.log = log
        if endpoint != nil { startThread() }
    }

    /// The thread starts with the first broker or message, so an unused publisher costs nothing.
    func startThread() {
        thread.start { [self] in PublisherLoop(publisher: self).run() }
    }

    /// Queues messages; returns how many were accepted. Refusals are counted and logged, never silent.
    @discardableResult
    public func enqueue(_ messages: [OutgoingMessage]) -> Int {
        var refusedIDs: [StatusChange] = []
        let observed = onStatus != nil
        let accepted: Int = shared.withLock { s in
            var n = 0
            for m in messages {
                if s.depth >= capacity {
                    s.stats.refused += 1
                    if observed { refusedIDs.append(StatusChange(messageID: m.messageID, exchange: m.exchange, status: .refused)) }
                    continue
                }
                s.ready.append(Entry(message: m))
                n += 1
            }
            s.stats.outboxDepth = s.depth
            return n
        }
        if accepted < messages.count {
            log("AMQP outbox full (\(capacity) messages): refused \(messages.count - accepted) message(s)")
            onStatus?(refusedIDs)
        }
        if accepted > 0 {
            startThread()
            wake.signal()
        }
        return accepted
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
        guard running else { return }
        wake.signal()
        _ = finished.wait(timeout: .now() + 5)
    }
}

/// The publisher thread's own state: connection, delivery tags, returned ids.
final class PublisherLoop {
    let p: Publisher
    var connection: AMQPConnection?
    var generation = -1
    var inflight: [UInt64: Publisher.Entry] = [:]
    var nextTag: UInt64 = 1
    var returned: Set<String> = []
    var backoff = 0.2
    var everConnected = false

    init(publisher: Publisher) { p = publisher }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func run() {
        while true {
            let (stopping, endpoint, exchanges, gen) = p.shared.withLock { ($0.stopping, $0.endpoint, $0.exchanges, $0.generation) }
            if stopping { break }
            if connection != nil, gen != generation { disconnect(nil) }
            if connection != nil, takeDropRequest() { disconnect("connection dropped by a /mock/faults rule") }
            if connection == nil {
                guard let endpoint else { _ = p.wake.wait(timeout: .now() + 1); continue }
                if !connect(endpoint, exchanges, gen) {
                    _ = p.wake.wait(timeout: .now() + backoff)
                    backoff = min(backoff * 2, 5)
                    continue
                }
            }
            let batch = takeBatch()
            if batch.isEmpty {
                _ = p.wake.wait(timeout: .now() + nextWait())
                continue
            }
            publish(batch)
            if connection != nil { collectConfirms() }
        }
        disconnect(nil)
        p.finished.signal()
    }

    func connect(_ endpoint: AMQPEndpoint, _ exchanges: [ExchangeDeclaration], _ gen: Int) -> Bool {
        do {
            let c = try AMQPConnection(endpoint)
            for e in exchanges { try c.declareExchange(e.name, type: e.type) }
            try c.confirmSelect()
            connection = c
            generation = gen
            nextTag = 1
            backoff = 0.2
            let reconnect = everConnected
            everConnected = true
            p.shared.withLock { s in
                s.stats.connected = true
                if reconnect { s.stats.reconnects += 1 }
            }
            p.log("AMQP connected to \(endpoint)")
            return true
        } catch {
            let message = error.description
            let changed = p.shared.withLock { s -> Bool in
                defer { s.stats.lastError = message; s.stats.connected = false }
                return s.stats.lastError != message
            }
            if changed { p.log("AMQP cannot connect: \(message); retrying") }
            return false
        }
    }

    /// Drops the connection; unconfirmed messages go back to the front of the outbox, in order.
    func disconnect(_ reason: String?) {
        connection = nil
        let pending = inflight.sorted { $0.key < $1.key }.map(\.value)
        inflight.removeAll()
        returned.removeAll()
        p.shared.withLock { s in
            for e in pending.reversed() { s.ready.prepend(e) }
            s.inflight = 0
            s.stats.connected = false
            s.stats.unconfirmed = 0
            if let reason { s.stats.lastError = reason }
            s.stats.outboxDepth = s.depth
        }
        if let reason { p.log("AMQP connection lost: \(reason); \(pending.count) unconfirmed message(s) will be sent again") }
    }

    func takeDropRequest() -> Bool {
        p.shared.withLock { s in
            defer { s.dropRequested = false }
            return s.dropRequested
        }
    }

    func takeBatch() -> [Publisher.Entry] {
        let now = Self.now()
        return p.shared.withLock { s in
            if !s.delayed.isEmpty {
                let due = s.delayed.filter { $0.due <= now }
                s.delayed.removeAll { $0.due <= now }
                s.ready.append(contentsOf: due)
            }
            var batch: [Publisher.Entry] = []
            while batch.count < 500, let e = s.ready.popFirst() { batch.append(e) }
            s.inflight += batch.count
            return batch
        }
    }

    func nextWait() -> Double {
        let now = Self.now()
        let next = p.shared.withLock { $0.delayed.map(\.due).min() }
        guard let next else { return 1 }
        return next > now ? min(1, Double(next - now) / 1e9) : 0
    }

    func publish(_ batch: [Publisher.Entry]) {
        guard let c = connection else { return }
        for (i, e) in batch.enumerated() {
            do {
                try c.publish(e.message)
                inflight[nextTag] = e
                nextTag += 1
            } catch {
                // Not sent: back to the front with the rest of the batch, then reconnect.
                let unsent = Array(batch[i...])
                p.shared.withLock { s in
                    for u in unsent.reversed() { s.ready.prepend(u) }
                    s.inflight -= unsent.count
                }
                disconnect(error.description)
                return
            }
        }
        let count = batch.count
        p.shared.withLock { s in
            s.stats.published += count
            s.stats.unconfirmed = inflight.count
        }
        p.onStatus?(batch.map { Publisher.StatusChange(messageID: $0.message.messageID, exchange: $0.message.exchange,
                                                       status: .published) })
    }

    func collectConfirms() {
        var lastProgress = Self.now()
        while !inflight.isEmpty, let c = connection {
            switch c.nextEvent(timeoutMillis: 200) {
            case .ack(let tag, let multiple):
                settle(tag: tag, multiple: multiple, nacked: false)
                lastProgress = Self.now()
            case .nack(let tag, let multiple):
                settle(tag: tag, multiple: multiple, nacked: true)
                lastProgress = Self.now()
            case .returned(let id, let exchange, let reason):
                returned.insert(id + "\u{0}" + exchange)
                let count = p.shared.withLock { s -> Int in
                    s.stats.returned += 1
                    return s.stats.returned
                }
                // Unroutable messages come back on every retry: log the first ones, then every 100th.
                if count <= 10 || count % 100 == 0 {
                    p.log("AMQP message \(id) to \(exchange) returned (\(reason)); retrying (\(count) returns so far)")
                }
            case .closed(let reason):
                disconnect(reason)
                return
            case .timeout, .other, .delivery:
                let (stopping, gen) = p.shared.withLock { ($0.stopping, $0.generation) }
                if stopping || gen != generation { return }
                if Self.now() - lastProgress > 10_000_000_000 {
                    disconnect("no publisher confirm within 10 s")
                    return
                }
            }
        }
    }

    /// Acked and not returned: confirmed. Nacked or returned: retried after a backoff.
    func settle(tag: UInt64, multiple: Bool, nacked: Bool) {
        let tags = multiple ? inflight.keys.filter { $0 <= tag } : [tag]
        var retry: [Publisher.Entry] = []
        var confirmed = 0
        var changes: [Publisher.StatusChange] = []
        let observed = p.onStatus != nil
        var injected = nacked ? 0 : p.shared.withLock { s in
            defer { s.injectedNacks = 0 }
            return s.injectedNacks
        }
        var fakeNacks = 0
        for t in tags {
            guard var e = inflight.removeValue(forKey: t) else { continue }
            let key = e.message.messageID + "\u{0}" + e.message.exchange
            let wasReturned = !nacked && returned.remove(key) != nil
            let fakeNack = !nacked && !wasReturned && injected > 0
            if fakeNack { injected -= 1; fakeNacks += 1 }
            if observed {
                changes.append(Publisher.StatusChange(messageID: e.message.messageID, exchange: e.message.exchange,
                                                      status: nacked || fakeNack ? .nacked : wasReturned ? .returned : .confirmed))
            }
            if nacked || fakeNack || wasReturned {
                e.attempts += 1
                let delay = min(0.25 * pow(2, Double(e.attempts - 1)), 5)
                e.due = Self.now() + UInt64(delay * 1e9)
                retry.append(e)
            } else {
                confirmed += 1
            }
        }
        let nackCount = (nacked ? retry.count : 0) + fakeNacks
        p.shared.withLock { s in
            s.injectedNacks += injected
            s.inflight -= confirmed + retry.count
            s.delayed.append(contentsOf: retry)
            s.stats.confirmed += confirmed
            s.stats.nacked += nackCount
            s.stats.unconfirmed = inflight.count
            s.stats.outboxDepth = s.depth
        }
        if !changes.isEmpty { p.onStatus?(changes) }
    }
}
