import CRabbitMQShims
import DequeModule
import Foundation
import Synchronization

/// Sends a request message and waits for the reply that carries its correlation id, the way vCD talks
/// to extension services (§5.5-5.7). One thread owns the connection: it publishes queued requests,
/// consumes the reply queue and expires requests whose time is up. Callers never block.
public final class RequestReplyClient: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        case timeout
        case exchangeMissing(String)
        case brokerUnavailable(String)
    }

    public typealias Completion = @Sendable (Result<[UInt8], Failure>) -> Void

    public struct Request: Sendable {
        public var exchange: String
        public var routingKey: String
        public var correlationID: String
        public var headers: [(key: String, value: String)]
        public var body: [UInt8]
        public var timeout: Double

        public init(exchange: String, routingKey: String, correlationID: String, headers: [(key: String, value: String)],
                    body: [UInt8], timeout: Double) {
            self.exchange = exchange
            self.routingKey = routingKey
            self.correlationID = correlationID
            self.headers = headers
            self.body = body
            self.timeout = timeout
        }
    }

    public struct Stats: Sendable, Codable, Equatable {
        public var forwarded = 0, replied = 0, timedOut = 0, lateReplies = 0, unknownReplies = 0
        public var exchangeMissing = 0, brokerUnavailable = 0, pending = 0
        public var connected = false
        public var replyQueue = ""
    }

    struct Outgoing: Sendable {
        var request: Request
        var completion: Completion
    }

    struct Shared: Sendable {
        var queue = Deque<Outgoing>()
        var endpoint: AMQPEndpoint?
        var generation = 0
        var stats = Stats()
    }

    let shared: Mutex<Shared>
    let wakeFD: Int32
    let thread = OnceThread(name: "vcd-mock-extensions")
    public let replyExchange: String
    public let replyQueue: String
    let log: @Sendable (String) -> Void

    /// The reply queue is `vcd.replyQueue.<cell>`, bound to `replyExchange` by its own name, as on a real cell.
    public init(endpoint: AMQPEndpoint?, replyExchange: String = "vcd.replyExchange", cellID: String,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        var s = Shared()
        s.endpoint = endpoint
        s.stats.replyQueue = "vcd.replyQueue.\(cellID)"
        shared = Mutex(s)
        wakeFD = vcdm_eventfd()
        self.replyExchange = replyExchange
        self.replyQueue = "vcd.replyQueue.\(cellID)"
        self.log = log
    }

    public var stats: Stats { shared.withLock { $0.stats } }

    /// Queues the request; `completion` runs exactly once, on the client's thread.
    public func send(_ request: Request, completion: @escaping Completion) {
        let endpoint = shared.withLock { s -> AMQPEndpoint? in
            if s.endpoint != nil { s.queue.append(Outgoing(request: request, completion: completion)) }
            else { s.stats.brokerUnavailable += 1 }
            return s.endpoint
        }
        guard endpoint != nil else {
            completion(.failure(.brokerUnavailable("no AMQP broker is configured (start with --amqp-url or PUT the AMQP settings)")))
            return
        }
        startThread()
        wake()
    }

    public func reconfigure(endpoint: AMQPEndpoint?) {
        shared.withLock { s in
            s.endpoint = endpoint
            s.generation += 1
        }
        wake()
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    func drainWake() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
    }

    func startThread() {
        thread.start { [self] in RequestReplyLoop(client: self).run() }
    }
}
