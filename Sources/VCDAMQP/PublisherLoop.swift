import DequeModule
import Dispatch
import Foundation

/// The publisher thread's own state: connection, delivery tags, returned ids. Pipelined: it keeps
/// publishing while confirms for earlier batches arrive, up to `window` unconfirmed messages.
final class PublisherLoop {
    let p: Publisher
    var connection: AMQPConnection?
    var generation = -1
    /// Sent, unconfirmed messages in delivery-tag order (tag = firstTag + index); settled ones become nil
    /// until everything before them is settled too, so acks (single or `multiple`) cost O(1) each.
    var inflight = Deque<Publisher.Entry?>()
    var firstTag: UInt64 = 1
    var live = 0
    var nextTag: UInt64 = 1
    var returned: Set<String> = []
    var backoff = 0.2
    var everConnected = false

    static let window = 4096

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
        let pending = inflight.compactMap { $0 }
        inflight.removeAll()
        live = 0
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
            // Nothing to send: the loop sleeps on `wake` next, and enqueue must signal it.
            s.idle = batch.isEmpty
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
                try c.append(e.message)
                if inflight.isEmpty { firstTag = nextTag }
                inflight.append(e)
                live += 1
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
        do {
            try c.flush()
        } catch {
            // Every message of the batch is in flight: the reconnect sends them again.
            disconnect(error.description)
            return
        }
        let count = batch.count
        p.shared.withLock { s in
            s.stats.published += count
            s.stats.unconfirmed = live
        }
        p.onStatus?(batch.map { Publisher.StatusChange($0.message, .published) })
    }

    /// Reads confirms until none are outstanding; returns early, once the frames already received are
    /// read, when more messages wait and the window has room, so publishing goes on meanwhile.
    func collectConfirms() {
        var lastProgress = Self.now()
        while live > 0, let c = connection {
            let canSend = live < Self.window && p.shared.withLock { !$0.ready.isEmpty }
            switch c.nextEvent(timeoutMillis: canSend ? 0 : 2) {
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
                if canSend { return }
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
        var settled: [Publisher.Entry] = []
        if tag >= firstTag, tag < firstTag + UInt64(inflight.count) {
            if multiple {
                for _ in firstTag...tag {
                    if let e = inflight.removeFirst() { settled.append(e) }
                    firstTag += 1
                }
            } else {
                let i = Int(tag - firstTag)
                if let e = inflight[i] { settled.append(e) }
                inflight[i] = nil
            }
            while let first = inflight.first, first == nil {
                inflight.removeFirst()
                firstTag += 1
            }
            live -= settled.count
        }
        var retry: [Publisher.Entry] = []
        var confirmed = 0
        var changes: [Publisher.StatusChange] = []
        let observed = p.onStatus != nil
        var injected = nacked ? 0 : p.shared.withLock { s in
            defer { s.injectedNacks = 0 }
            return s.injectedNacks
        }
        var fakeNacks = 0
        for var e in settled {
            // Returns are rare: no key is built for a confirm while none is pending.
            let wasReturned = !nacked && !returned.isEmpty && returned.remove(e.message.messageID + "\u{0}" + e.message.exchange) != nil
            let fakeNack = !nacked && !wasReturned && injected > 0
            if fakeNack { injected -= 1; fakeNacks += 1 }
            if observed {
                changes.append(Publisher.StatusChange(e.message, nacked || fakeNack ? .nacked : wasReturned ? .returned : .confirmed))
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
            s.stats.unconfirmed = live
            s.stats.outboxDepth = s.depth
        }
        if confirmed > 0 { p.roomMade() }
        if !changes.isEmpty { p.onStatus?(changes) }
    }
}
