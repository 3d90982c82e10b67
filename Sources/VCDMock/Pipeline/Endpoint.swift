import VCDXML

/// What a route needs before its handler runs: a session or not, version negotiation, body media types.
public struct Endpoint: Sendable {
    public typealias Run = @Sendable (Context) throws(APIError) -> Reply

    public let anonymous: Bool
    public let negotiates: Bool
    /// Media types a body may carry; nil when the route takes no body.
    public let bodyTypes: [String]?
    public let run: Run

    /// Needs a live session and `Accept: …;version=`.
    public static func session(_ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: false, negotiates: true, bodyTypes: nil, run: run)
    }

    /// Needs a session and a body of one of these media types.
    public static func session(body types: [String], _ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: false, negotiates: true, bodyTypes: types, run: run)
    }

    /// Like `session(body:)`, but a request without Content-Type passes too: pyvcloud sends none on
    /// `PUT …/extension/service/{id}` (reference §1.3). App sees no body types, so the check runs here.
    public static func session(bodyOrUntyped types: [String], _ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: false, negotiates: true, bodyTypes: nil) { c throws(APIError) in
            if let sent = c.request.header("Content-Type"), !sent.trimmingSpaces.isEmpty {
                try Negotiation.checkContentType(sent, allowed: types, method: c.request.method, path: c.request.path)
            }
            return try run(c)
        }
    }

    /// Open to anyone (login itself, version discovery).
    public static func anonymous(negotiates: Bool = true, _ run: @escaping Run) -> Endpoint {
        Endpoint(anonymous: true, negotiates: negotiates, bodyTypes: nil, run: run)
    }
}
