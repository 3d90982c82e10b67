import Foundation
import Logging
import VCDCore
import VCDHTTP
import VCDXML

/// The vCD cell: turns an HTTP request into a vCD answer. Knows no sockets; VCDHTTP calls `handle`.
public final class App: Sendable {
    public let store: Store
    public let config: AppConfig
    public let notifier: Notifier
    public let bridge: ExtensionBridge
    let router: Router<Endpoint>
    let logger: Logger
    let cache = RenderCache()
    /// `GET /mock/requests`: the last handled requests.
    let journal: RequestJournal
    /// The route table, built once for `GET /mock/about`.
    let routeRows: [RouteRow]
    let requestIDs: RequestIDs
    /// `GET /mock/wait`: requests waiting for an event, message or task status.
    let waiters: WaitRegistry
    /// `/mock/faults`: rules that break matching requests on purpose.
    let faults = Faults()

    /// Without a notifier, notifications are off and no broker is used.
    public init(store: Store, config: AppConfig = AppConfig(), notifier: Notifier? = nil, bridge: ExtensionBridge? = nil,
                logger: Logger = Logger(label: "vcd-mock")) {
        self.bridge = bridge ?? ExtensionBridge(endpoint: nil, timeout: 10, ids: store.ids)
        self.requestIDs = RequestIDs(ids: store.ids)
        self.store = store
        self.config = config
        self.notifier = notifier ?? Notifier(settings: AMQPSettings(), configured: false, enabled: false,
                                             outboxCapacity: 1, base: config.publicURL ?? "http://127.0.0.1")
        let router = Routes.table()
        self.router = router
        self.routeRows = router.routes.map { RouteRow(method: $0.method, pattern: $0.pattern, handler: $0.name) }
        self.journal = RequestJournal(capacity: config.journalSize)
        let waiters = WaitRegistry(store: store, messages: self.notifier.messages)
        self.waiters = waiters
        store.observers.add(waiters)
        self.notifier.messages.observers.add(waiters)
        self.logger = logger
    }

    /// The route table as (method, pattern, handler) rows.
    public var routeTable: [(method: String, pattern: String, handler: String)] {
        router.routes.map { ($0.method, $0.pattern, $0.name) }
    }

    /// What VCDHTTP calls: requests for a registered extension service are forwarded over AMQP and
    /// answered later (the connection is suspended meanwhile); everything else is answered now.
    public func answer(_ request: HTTPRequest) -> HTTPAnswer {
        if !faults.isEmpty, let fault = fault(for: request) { return fault }
        return answerNormally(request)
    }

    /// The answer of a request no fault rule changed.
    func answerNormally(_ request: HTTPRequest) -> HTTPAnswer {
        if request.path == ControlWait.path && request.method == "GET" { return answerWait(request) }
        let target = request.query.map { request.path + "?" + $0 } ?? request.path
        guard let service = store.forwardingService(forPath: target) else { return .now(handle(request)) }
        let started = DispatchTime.now().uptimeNanoseconds
        do throws(APIError) {
            if request.bodyTooLarge {
                throw APIError.tooLarge("The request body is larger than \(config.maxBodyBytes) bytes (see --max-body).")
            }
            let principal = try authenticate(request)
            return .later { respond in
                self.bridge.forward(request, to: service, as: principal) { result in
                    respond(self.finish(result, request, started: started, principal: principal))
                }
            }
        } catch {
            return .now(finish(.failure(error), request, started: started))
        }
    }

    /// A forwarded request's answer: the service's response as it sent it, or a vCD Error.
    func finish(_ result: Result<HTTPResponse, APIError>, _ request: HTTPRequest, started: UInt64,
                principal: Principal? = nil) -> HTTPResponse {
        let response: HTTPResponse
        switch result {
        case .success(let r): response = r
        case .failure(let error): response = errorResponse(error, request)
        }
        return stamp(response, request, started: started, principal: principal, note: " (forwarded)")
    }

    /// A vCD Error answer, in the version the client asked for.
    func errorResponse(_ error: APIError, _ request: HTTPRequest) -> HTTPResponse {
        let version = Negotiation.version(request.header("Accept"), offered: config.versions)
        var response = HTTPResponse(status: error.status, body: error.body)
        response.headers.append(HTTPHeader("Content-Type", "\(MediaType.error);version=\(version ?? "5.5")"))
        return response
    }

    /// The last step of a deferred answer: request id, journal entry, log line.
    func stamp(_ response: HTTPResponse, _ request: HTTPRequest, started: UInt64, principal: Principal?,
               note: String = "") -> HTTPResponse {
        var response = response
        let requestID = requestIDs.next()
        response.headers.append(HTTPHeader("X-VMWARE-VCLOUD-REQUEST-ID", requestID))
        let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        record(request, response.status, micros, principal, requestID)
        logger.info("\(request.method) \(request.path) \(response.status) \(micros)µs\(note)")
        return response
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let requestID = requestIDs.next()
        let version = Negotiation.version(request.header("Accept"), offered: config.versions)
        var response: HTTPResponse
        var principal: Principal?
        do {
            let reply = try dispatch(request, version: version, principal: &principal)
            response = HTTPResponse(status: reply.status, headers: reply.headers, body: reply.body)
            let type = reply.mediaType ?? MediaType.any
            // JSON (the /mock control API) is not a versioned vCloud media type.
            response.headers.append(HTTPHeader("Content-Type", ControlStatus.unversioned(type) ? type
                                                   : "\(type);version=\(version ?? "5.5")"))
        } catch {
            response = HTTPResponse(status: error.status, body: error.body)
            response.headers.append(HTTPHeader("Content-Type", "\(MediaType.error);version=\(version ?? "5.5")"))
            if error.status == 405, case .methodNotAllowed(let allowed) = router.match(method: request.method, path: request.path) {
                response.headers.append(HTTPHeader("Allow", allowed.joined(separator: ", ")))
            }
        }
        response.headers.append(HTTPHeader("X-VMWARE-VCLOUD-REQUEST-ID", requestID))
        let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        record(request, response.status, micros, principal, requestID)
        // Task statuses that record no event (running, …) release waiters without the timer's delay.
        if request.method != "GET" { waiters.poke() }
        logger.info("\(request.method) \(request.path) \(response.status) \(micros)µs")
        return response
    }

    /// Appends the request to the journal: values already at hand, one slot write under a short lock.
    func record(_ request: HTTPRequest, _ status: Int, _ micros: UInt64, _ principal: Principal?, _ requestID: String) {
        journal.record(JournalEntry(time: store.clock.now(), method: request.method, path: request.path, query: request.query,
                                    status: status, micros: micros, org: principal?.orgName, user: principal?.user.name,
                                    requestID: requestID))
    }

    func dispatch(_ request: HTTPRequest, version: String?, principal who: inout Principal?) throws(APIError) -> Reply {
        let endpoint: Endpoint
        let parameters: RouteParameters
        switch router.match(method: request.method, path: request.path) {
        case .notFound:
            throw .notFound("There is no resource at \(request.path) in this vCloud API 5.5 mock.")
        case .methodNotAllowed(let allowed):
            throw .methodNotAllowed("\(request.method) is not allowed on \(request.path); use \(allowed.joined(separator: " or ")).")
        case .found(let route, let params):
            endpoint = route.handler
            parameters = params
        }
        if request.bodyTooLarge {
            throw .tooLarge("The request body is larger than \(config.maxBodyBytes) bytes (see --max-body).")
        }
        if endpoint.negotiates && version == nil {
            throw .notAcceptable("The request has invalid accept header. Supported API versions are: [\(config.versions.joined(separator: ", "))]. Send e.g. Accept: application/*+xml;version=5.5.")
        }
        let principal = endpoint.anonymous ? nil : try authenticate(request)
        who = principal
        if let types = endpoint.bodyTypes {
            try Negotiation.checkContentType(request.header("Content-Type"), allowed: types, method: request.method, path: request.path)
        }
        let context = Context(request: request, parameters: parameters, publicBase: config.publicURL,
                              version: version ?? "5.5", principal: principal, store: store, config: config, cache: cache,
                              notifier: notifier, bridge: bridge, journal: journal, routes: routeRows,
                              faults: faults)
        return try endpoint.run(context)
    }

    func authenticate(_ request: HTTPRequest) throws(APIError) -> Principal {
        guard let token = Negotiation.token(request) else {
            throw .unauthorized("No session token: log in with POST /api/sessions and send its x-vcloud-authorization header.")
        }
        return try domain { () throws(DomainError) in try store.principal(token: token) }
    }
}
