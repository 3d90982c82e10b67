import VCDCore
import VCDXML

/// What a route needs before its handler runs: a session or not, version negotiation, body media types.
struct Endpoint: Sendable {
    typealias Run = @Sendable (Context) throws(APIError) -> Reply
    /// A handler that may answer later (long-poll, forwarding).
    typealias RunLater = @Sendable (Context) throws(APIError) -> Outcome

    let anonymous: Bool
    let negotiates: Bool
    /// Media types a body may carry; nil when the route takes no body.
    let bodyTypes: [String]?
    let run: RunLater

    init(anonymous: Bool, negotiates: Bool, bodyTypes: [String]?, run: @escaping RunLater) {
        self.anonymous = anonymous
        self.negotiates = negotiates
        self.bodyTypes = bodyTypes
        self.run = run
    }

    init(anonymous: Bool, negotiates: Bool, bodyTypes: [String]?, now run: @escaping Run) {
        self.init(anonymous: anonymous, negotiates: negotiates, bodyTypes: bodyTypes) { c throws(APIError) in
            .reply(try run(c))
        }
    }

    /// Needs a live session and `Accept: …;version=`.
    static func session(_ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: false, negotiates: true, bodyTypes: nil, now: run)
    }

    /// Needs a session and a body of one of these media types.
    static func session(body types: [String], _ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: false, negotiates: true, bodyTypes: types, now: run)
    }

    /// Like `session(body:)`, but a request without Content-Type passes too: pyvcloud sends none on
    /// `PUT …/extension/service/{id}` (reference §1.3). The pipeline sees no body types, so the check runs here.
    static func session(bodyOrUntyped types: [String], _ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: false, negotiates: true, bodyTypes: nil) { c throws(APIError) in
            if let sent = c.request.header("Content-Type"), !sent.trimmed.isEmpty {
                try Negotiation.checkContentType(sent, allowed: types, method: c.request.method, path: c.request.path)
            }
            return .reply(try run(c))
        }
    }

    /// Open to anyone (login itself, version discovery).
    static func anonymous(negotiates: Bool = true, _ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: true, negotiates: negotiates, bodyTypes: nil, now: run)
    }

    /// A `/mock` route: no session, no version; the pipeline's control-access step has already run.
    static func control(_ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: true, negotiates: false, bodyTypes: nil, now: run)
    }

    /// A `/mock` route that may answer later.
    static func control(later run: @escaping RunLater) -> Endpoint {
        Endpoint(anonymous: true, negotiates: false, bodyTypes: nil, run: run)
    }
}
