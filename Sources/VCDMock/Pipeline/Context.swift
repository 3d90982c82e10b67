import VCDCore
import VCDHTTP
import VCDXML

/// Everything a handler needs about one request, already authenticated and negotiated.
struct Context: Sendable {
    let request: HTTPRequest
    let parameters: RouteParameters
    let version: String
    let principal: Principal?
    let app: App

    func param(_ name: String) -> String { parameters[name] ?? "" }

    var store: Store { app.store }
    var config: AppConfig { app.config }
    var notifier: Notifier { app.notifier }
    var bridge: ExtensionBridge { app.bridge }
    var cache: RenderCache { app.cache }
    /// `/mock/requests` and `/mock/about` read these.
    var journal: RequestJournal { app.journal }
    var routes: [RouteRow] { app.routeRows }
    var faults: Faults { app.faults }

    /// `--public-url`, or nil to build hrefs from the request's Host.
    var publicBase: String? { app.config.publicURL }

    /// Built on use: cached answers never need it.
    var hrefs: Hrefs { Hrefs(base: baseURL) }

    /// The base of every href of this answer.
    var baseURL: String { Self.baseURL(app, host: request.header("Host")) }

    /// The same from its parts, for a render closure that should not capture the context (a closure that did
    /// copied the whole `Context` on every org GET, cache hits included: ~500 instructions, 0.5%).
    static func baseURL(_ app: App, host: String?) -> String {
        app.config.publicURL ?? String(joining: app.config.scheme, "://", host ?? "127.0.0.1")
    }

    /// What the base URL depends on, without building it (a render-cache key part).
    var baseKey: String { Self.baseKey(app, host: request.header("Host")) }

    static func baseKey(_ app: App, host: String?) -> String { app.config.publicURL ?? host ?? "" }

    /// The caller; routes marked `public` have none.
    var caller: Principal {
        get throws(APIError) {
            guard let principal else { throw .unauthorized("This resource needs a logged-in session.") }
            return principal
        }
    }

    /// The body parsed as XML (the route's Content-Type was already checked).
    func xmlBody() throws(APIError) -> ParsedElement {
        do {
            return try XMLReader.parse(request.body, maxBytes: config.maxBodyBytes)
        } catch {
            throw APIError(error)
        }
    }
}

extension Context {
    /// The body parsed as XML and read by a document's decoder; either's failure is a 400 naming the problem.
    func decodeBody<T>(_ decode: (ParsedElement) throws(XMLParseError) -> T) throws(APIError) -> T {
        let root = try xmlBody()
        do {
            return try decode(root)
        } catch {
            throw APIError(error)
        }
    }
}

/// Runs a domain operation, turning its error into the vCD answer for it.
func domain<T>(_ body: () throws(DomainError) -> T) throws(APIError) -> T {
    do {
        return try body()
    } catch {
        throw APIError(error)
    }
}
