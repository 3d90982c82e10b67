import Foundation
import VCDCore
import VCDHTTP

/// Which family a path belongs to; it decides how errors are written.
enum RouteGroup: Sendable {
    /// `/api/...`: vCloud XML, `Error` documents.
    case api
    /// `/cloudapi/...`: JSON, `{"minorErrorCode","message","stackTrace"}`.
    case cloudAPI
    /// `/mock/...`: the control API, JSON `{"error","minorErrorCode"}`, loopback or a token.
    case control

    init(path: String) {
        if path.hasPrefix("/mock/") || path == "/mock" { self = .control }
        else if path.hasPrefix("/cloudapi/") || path == "/cloudapi" { self = .cloudAPI }
        else { self = .api }
    }
}

/// One request on its way through the pipeline: what the steps learned so far.
struct Exchange: Sendable {
    let request: HTTPRequest
    let started: UInt64
    let group: RouteGroup
    /// The negotiated `version=` of Accept, nil when none of the offered ones was asked for.
    var version: String?
    var endpoint: Endpoint?
    var parameters = RouteParameters()
    /// Methods the path allows, for the `Allow` header of a 405.
    var allowed: [String] = []
    var principal: Principal?
    /// Appended to the log line (e.g. " (forwarded)").
    var note = ""

    init(_ request: HTTPRequest) {
        self.request = request
        started = DispatchTime.now().uptimeNanoseconds
        group = RouteGroup(path: request.path)
    }
}

/// What a step or handler produced: an answer now, later (the connection is suspended meanwhile), or none.
enum Outcome: Sendable {
    case now(Result<Reply, APIError>)
    case later(Later)
    /// Close the connection without an answer (fault injection).
    case drop

    static func reply(_ reply: Reply) -> Outcome { .now(.success(reply)) }
    static func failure(_ error: APIError) -> Outcome { .now(.failure(error)) }
}

/// An answer that arrives later. `start` gets a one-shot callback, callable from any thread; a step that
/// runs the rest of the pipeline later hands back the exchange as it left it (for the journal and log).
struct Later: Sendable {
    typealias Deliver = @Sendable (Outcome, Exchange?) -> Void
    let start: @Sendable (_ deliver: @escaping Deliver) -> Void

    init(resuming start: @escaping @Sendable (_ deliver: @escaping Deliver) -> Void) { self.start = start }

    /// For handlers: the outcome alone.
    init(_ start: @escaping @Sendable (_ deliver: @escaping @Sendable (Outcome) -> Void) -> Void) {
        self.start = { deliver in start { deliver($0, nil) } }
    }
}
