import Foundation
import Logging
import VCDHTTP

/// One cross-cutting step of the pipeline: an outcome ends the request there, nil goes on.
struct Step: Sendable {
    let name: String
    let run: @Sendable (App, inout Exchange) throws(APIError) -> Outcome?
}

/// One step every answer takes on its way out.
struct Finisher: Sendable {
    let name: String
    let run: @Sendable (App, Exchange, inout Finished) -> Void
}

/// An answer being finished: the response, its request id and how long it took.
struct Finished: Sendable {
    var response: HTTPResponse
    var requestID = ""
    var requestWords: (UInt64, UInt64) = (0, 0)
    let micros: UInt64
}

extension App {
    /// The request pipeline, in order. A new cross-cutting concern is one line here and one `Step` below.
    static let steps: [Step] = [
        .protocolCheck, // URL and header limits, Host (414, 431, 400; ProtocolCheck.swift)
        .faults,        // /mock/faults rules break matching requests on purpose (ControlFaults.swift)
        .controlAccess, // /mock: loopback, the control token or a system administrator (ControlAccess.swift)
        .forward,       // a registered extension service's paths go over AMQP (ExtensionForwarding.swift)
        .route,         // the route, matched once: 404, or 405 with Allow
        .bodyLimit,     // 413
        .negotiate,     // Accept ;version= (406)
        .authenticate,  // the session token (401)
        .contentType,   // the body's media type (415)
        .backpressure,  // a full AMQP outbox: wait for room, then 503 (Backpressure.swift)
        .handler,       // the endpoint itself
    ]

    /// What every answer, now or later, goes through after it is rendered, in order.
    static let finishers: [Finisher] = [.requestID, .journal, .log, .wakeWaiters]

    /// Renders the result and runs the finishers.
    func finish(_ result: Result<Reply, APIError>, _ exchange: Exchange) -> HTTPResponse {
        var finished = Finished(response: render(result, exchange),
                                micros: (DispatchTime.now().uptimeNanoseconds - exchange.started) / 1000)
        for i in 0..<Self.finishers.count { Self.finishers[i].run(self, exchange, &finished) }
        return finished.response
    }
}

extension Step {
    static let route = Step(name: "route") { app, ex throws(APIError) in
        switch app.router.match(method: ex.request.method, path: ex.request.path) {
        case .notFound:
            throw .notFound("There is no resource at \(ex.request.path) in this vCloud API mock.")
        case .methodNotAllowed(let allowed):
            ex.allowed = allowed
            throw .methodNotAllowed("\(ex.request.method) is not allowed on \(ex.request.path); use \(allowed.joined(separator: " or ")).")
        case .found(let route, let parameters):
            ex.endpoint = route.handler
            ex.parameters = parameters
            return nil
        }
    }

    static let bodyLimit = Step(name: "bodyLimit") { app, ex throws(APIError) in
        if ex.request.bodyTooLarge {
            throw .tooLarge("The request body is larger than \(app.config.maxBodyBytes) bytes (see --max-body).")
        }
        return nil
    }

    static let negotiate = Step(name: "negotiate") { app, ex throws(APIError) in
        ex.version = Negotiation.version(ex.request.header("Accept"), offered: app.config.versions)
        if ex.version == nil, ex.endpoint?.negotiates == true {
            throw .notAcceptable("The request has invalid accept header. Supported API versions are: [\(app.config.versions.joined(separator: ", "))]. Send e.g. Accept: application/*+xml;version=5.5.")
        }
        return nil
    }

    static let authenticate = Step(name: "authenticate") { app, ex throws(APIError) in
        if ex.endpoint?.anonymous == false { ex.principal = try app.authenticate(ex.request) }
        return nil
    }

    static let contentType = Step(name: "contentType") { _, ex throws(APIError) in
        if let types = ex.endpoint?.bodyTypes {
            try Negotiation.checkContentType(ex.request.header("Content-Type"), allowed: types,
                                             method: ex.request.method, path: ex.request.path)
        }
        return nil
    }

    static let handler = Step(name: "handler") { app, ex throws(APIError) in
        guard let endpoint = ex.endpoint else { return nil }
        let context = Context(request: ex.request, parameters: ex.parameters, version: ex.version ?? "5.5",
                              principal: ex.principal, app: app)
        return try endpoint.run(context)
    }
}

extension Finisher {
    static let requestID = Finisher(name: "requestID") { app, _, f in
        (f.requestID, f.requestWords) = app.requestIDs.next()
        f.response.headers.append(HTTPHeader("X-VMWARE-VCLOUD-REQUEST-ID", f.requestID))
    }

    /// Appends the request to `/mock/requests`: values already at hand, one slot write under a short lock.
    static let journal = Finisher(name: "journal") { app, ex, f in
        let p = ex.principal
        app.journal.record(JournalEntry(time: app.store.clock.now(), method: ex.request.method, path: ex.request.path,
                                        query: ex.request.query, status: f.response.status, micros: f.micros,
                                        org: p?.orgName, user: p?.user.name, requestID: f.requestID),
                           idWords: f.requestWords)
    }

    static let log = Finisher(name: "log") { app, ex, f in
        guard app.logsRequests else { return }
        if let writer = app.requestLog {
            writer.request(label: app.logLabel, method: ex.request.method, path: ex.request.path,
                           status: f.response.status, micros: f.micros, note: ex.note)
        } else {
            app.logger.info("\(ex.request.method) \(ex.request.path) \(f.response.status) \(f.micros)µs\(ex.note)")
        }
    }

    /// Task statuses that record no event (running, …) release `/mock/wait` waiters without the timer's delay.
    static let wakeWaiters = Finisher(name: "wakeWaiters") { app, ex, _ in
        if ex.request.method != "GET" { app.waiters.poke() }
    }
}
