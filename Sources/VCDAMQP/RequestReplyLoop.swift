import Dispatch
import Foundation

/// The client thread: connection, pending requests by correlation id, recently expired ids.
final class RequestReplyLoop {
    struct Pending {
        var deadline: UInt64
        var completion: RequestReplyClient.Completion
    }

    let c: RequestReplyClient
    var connection: AMQPConnection?
    var generation = -1
    var pending: [String: Pending] = [:]
    /// Ids that timed out lately: a reply for one of them is "late", not "unknown".
    var expired: [String] = []
    var expiredSet: Set<String> = []
    var knownExchanges: [String: UInt64] = [:]

    init(client: RequestReplyClient) { c = client }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    func run() {
        while true {
            let (endpoint, gen) = c.shared.withLock { ($0.endpoint, $0.generation) }
            if connection != nil, gen != generation { drop("the AMQP settings changed") }
            if connection == nil, let endpoint { connect(endpoint, gen) }
            sendQueued()
            expire()
            guard let conn = connection else {
                _ = try? waitWithoutConnection()
                continue
            }
            do {
                switch try conn.wait(wakeFD: c.wakeFD, timeoutMillis: waitMillis()) {
                case .frame: readFrame(conn)
                case .wake: c.drainWake()
                case .timeout: break
                }
            } catch {
                drop(error.description)
            }
        }
    }

    func waitWithoutConnection() throws {
        var fds = [pollfd(fd: c.wakeFD, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, 500)
        c.drainWake()
    }

    func waitMillis() -> Int32 {
        guard let next = pending.values.map(\.deadline).min() else { return 1000 }
        let now = Self.now()
        return next > now ? Int32(min(1000, (next - now) / 1_000_000 + 1)) : 0
    }

    func connect(_ endpoint: AMQPEndpoint, _ gen: Int) {
        do {
            let conn = try AMQPConnection(endpoint)
            try conn.declareExchange(c.replyExchange, type: "direct")
            let queue = try conn.declareQueue(c.replyQueue, exclusive: true, autoDelete: true)
            try conn.bindQueue(queue, exchange: c.replyExchange, key: queue)
            try conn.consume(queue)
            connection = conn
            generation = gen
            knownExchanges.removeAll()
            c.shared.withLock { $0.stats.connected = true }
            c.log("extension replies: consuming \(queue) on \(endpoint)")
        } catch {
            c.log("extension bridge cannot connect: \(error.description)")
            failQueued(.brokerUnavailable(error.description))
        }
    }

    /// The broker is gone: requests already sent can still be answered until their deadline (a reconnect
    /// consumes the same reply queue name), queued ones fail now.
    func drop(_ reason: String) {
        connection = nil
        c.shared.withLock { $0.stats.connected = false }
        c.log("extension bridge lost the broker: \(reason)")
    }

    func failQueued(_ failure: RequestReplyClient.Failure) {
        let queued = c.shared.withLock { s -> [RequestReplyClient.Outgoing] in
            defer { s.queue.removeAll() }
            s.stats.brokerUnavailable += s.queue.count
            return Array(s.queue)
        }
        for o in queued { o.completion(.failure(failure)) }
    }

    func sendQueued() {
        guard let conn = connection else { return }
        let queued = c.shared.withLock { s -> [RequestReplyClient.Outgoing] in
            defer { s.queue.removeAll() }
            return Array(s.queue)
        }
        for o in queued {
            let r = o.request
            do {
                guard try exists(r.exchange, conn) else {
                    c.shared.withLock { $0.stats.exchangeMissing += 1 }
                    o.completion(.failure(.exchangeMissing(r.exchange)))
                    continue
                }
                try conn.publish(OutgoingMessage(messageID: r.correlationID, exchange: r.exchange, routingKey: r.routingKey,
                                                 contentType: "application/json", headers: r.headers, body: r.body,
                                                 correlationID: r.correlationID, replyTo: c.replyQueue), mandatory: false)
                pending[r.correlationID] = Pending(deadline: Self.now() + UInt64(r.timeout * 1e9), completion: o.completion)
                c.shared.withLock { s in
                    s.stats.forwarded += 1
                    s.stats.pending = pending.count
                }
            } catch {
                o.completion(.failure(.brokerUnavailable(error.description)))
                drop(error.description)
                return
            }
        }
    }

    /// Exchanges are checked once and trusted for 5 s (a passive declare costs a round trip).
    func exists(_ exchange: String, _ conn: AMQPConnection) throws(AMQPConnection.Failure) -> Bool {
        let now = Self.now()
        if let until = knownExchanges[exchange], until > now { return true }
        let found = try conn.exchangeExists(exchange)
        if found { knownExchanges[exchange] = now + 5_000_000_000 }
        return found
    }

    func readFrame(_ conn: AMQPConnection) {
        switch conn.nextEvent(timeoutMillis: 0) {
        case .delivery(let id, let body):
            if let p = pending.removeValue(forKey: id) {
                c.shared.withLock { s in
                    s.stats.replied += 1
                    s.stats.pending = pending.count
                }
                p.completion(.success(body))
            } else if expiredSet.contains(id) {
                c.shared.withLock { $0.stats.lateReplies += 1 }
                c.log("extension reply \(id) arrived after its request timed out; dropped")
            } else {
                c.shared.withLock { $0.stats.unknownReplies += 1 }
                c.log("extension reply with unknown correlation id '\(id)'; dropped")
            }
        case .closed(let reason):
            drop(reason)
        default:
            break
        }
    }

    func expire() {
        let now = Self.now()
        let due = pending.filter { $0.value.deadline <= now }
        guard !due.isEmpty else { return }
        for (id, p) in due {
            pending[id] = nil
            expired.append(id)
            expiredSet.insert(id)
            p.completion(.failure(.timeout))
        }
        if expired.count > 10_000 {
            for id in expired.prefix(expired.count - 10_000) { expiredSet.remove(id) }
            expired.removeFirst(expired.count - 10_000)
        }
        c.shared.withLock { s in
            s.stats.timedOut += due.count
            s.stats.pending = pending.count
        }
    }
}
