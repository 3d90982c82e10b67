import Foundation
import Logging
import VCDCore
import VCDHTTP
import VCDXML

/// The vCD cell: turns an HTTP request into a vCD answer by running it through the pipeline
/// (`Steps.swift`). Knows no sockets; VCDHTTP calls `answer`.
public final class App: Sendable {
    public let store: Store
    public let config: AppConfig
    public let notifier: Notifier
    public let bridge: ExtensionBridge
    let router: Router<Endpoint>
    let logger: Logger
    /// Where the request log goes when `logger` writes through it: lines are queued as parts (Steps.swift).
    let requestLog: LogWriter?
    /// Whether `logger` writes the request line, and its label: read once, because asking the `Logger` copies
    /// its handler (six reference count operations a request).
    let logsRequests: Bool
    let logLabel: String
    let cache: RenderCache
    /// `GET /mock/requests`: the last handled requests.
    let journal: RequestJournal
    /// The route table, built once for `GET /mock/about`.
    let routeRows: [RouteRow]
    let requestIDs: RequestIDs
    /// `GET /mock/wait`: requests waiting for an event, message or task status.
    let waiters: WaitRegistry
    /// `/mock/faults`: rules that break matching requests on purpose.
    let faults = Faults()
    /// Ends idle sessions in the background (and after `POST /mock/clock`).
    let sessionSweeper: SessionSweeper

    /// Without a notifier, notifications are off and no broker is used.
    public init(store: Store, config: AppConfig = AppConfig(), notifier: Notifier? = nil, bridge: ExtensionBridge? = nil,
                logger: Logger = Logger(label: "vcd-mock"), requestLog: LogWriter? = nil) {
        self.bridge = bridge ?? ExtensionBridge(endpoint: nil, timeout: 10, ids: store.ids)
        self.requestIDs = RequestIDs(ids: store.ids)
        self.store = store
        self.sessionSweeper = SessionSweeper(store: store)
        self.config = config
        self.notifier = notifier ?? Notifier(settings: AMQPSettings(), configured: false, enabled: false,
                                             outboxCapacity: 1, base: config.publicURL ?? "http://127.0.0.1")
        let router = Routes.table()
        self.router = router
        self.routeRows = router.routes.map { RouteRow(method: $0.method, pattern: $0.pattern, handler: $0.name) }
        self.journal = RequestJournal(capacity: config.journalSize)
        self.cache = RenderCache(plainBytes: config.renderCachePlainBytes)
        let waiters = WaitRegistry(store: store, messages: self.notifier.messages)
        self.waiters = waiters
        store.observers.add(waiters)
        self.notifier.messages.observers.add(waiters)
        self.logger = logger
        self.requestLog = requestLog
        self.logsRequests = logger.logLevel <= .info
        self.logLabel = logger.label
    }

    /// The route table as (method, pattern, handler) rows.
    public var routeTable: [(method: String, pattern: String, handler: String)] {
        router.routes.map { ($0.method, $0.pattern, $0.name) }
    }

    /// What VCDHTTP calls: the answer now, later (the connection is suspended meanwhile), or none.
    public func answer(_ request: HTTPRequest) -> HTTPAnswer {
        var exchange = Exchange(request)
        return deliver(run(&exchange), exchange)
    }

    /// For tests and tools that need the answer of a request that is answered at once.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if case .now(let response) = answer(request) { return response }
        return HTTPResponse(status: 500, body: Array("\(request.path) does not answer at once".utf8))
    }

    /// Runs the steps from `start` on until one answers.
    func run(_ exchange: inout Exchange, from start: Int = 0) -> Outcome {
        // By index, taking only the closure: `for step in` copied each step's name too (two reference
        // count operations a step, ~300 instructions a request).
        for i in start..<Self.steps.count {
            let run = Self.steps[i].run
            do throws(APIError) {
                if let outcome = try run(self, &exchange) { return outcome }
            } catch {
                return .failure(error)
            }
        }
        return .failure(APIError(500, "INTERNAL_SERVER_ERROR", "No step answered \(exchange.request.path)."))
    }

    /// Turns an outcome into what VCDHTTP sends, finishing every answer the same way, now or later.
    func deliver(_ outcome: Outcome, _ exchange: Exchange) -> HTTPAnswer {
        switch outcome {
        case .now(let result):
            return .now(finish(result, exchange))
        case .drop:
            return .drop
        case .later(let later):
            return .later { respond in
                later.start { outcome, updated in
                    switch self.deliver(outcome, updated ?? exchange) {
                    case .now(let response): respond(response)
                    case .later(let start): start(respond)
                    case .drop: respond(HTTPResponse(status: 500))
                    }
                }
            }
        }
    }

    /// The session behind the request's token (401 without one).
    func authenticate(_ request: HTTPRequest) throws(APIError) -> Principal {
        guard let token = Negotiation.token(request) else {
            throw .unauthorized("No session token: log in with POST /api/sessions and send its x-vcloud-authorization header.")
        }
        return try domain { () throws(DomainError) in try store.principal(token: token) }
    }
}
