import VCDCore
import VCDHTTP
import VCDXML

/// Everything a handler needs about one request, already authenticated and negotiated.
public struct Context: Sendable {
    public let request: HTTPRequest
    public let parameters: RouteParameters
    /// `--public-url`, or nil to build hrefs from the request's Host.
    let publicBase: String?
    public let version: String
    public let principal: Principal?
    public let store: Store
    public let config: AppConfig
    let cache: RenderCache
    public let notifier: Notifier
    public let bridge: ExtensionBridge
    /// `/mock/requests` and `/mock/about` read these.
    let journal: RequestJournal
    let routes: [RouteRow]
    /// `/mock/faults`.
    let faults: Faults

    public func param(_ name: String) -> String { parameters[name] ?? "" }

    /// Built on use: cached answers never need it.
    public var hrefs: Hrefs { Hrefs(base: baseURL) }

    /// The base of every href of this answer.
    public var baseURL: String { publicBase ?? "http://" + (request.header("Host") ?? "127.0.0.1") }

    /// What the base URL depends on, without building it (a render-cache key part).
    var baseKey: String { publicBase ?? request.header("Host") ?? "" }

    /// The caller; routes marked `public` have none.
    public var caller: Principal {
        get throws(APIError) {
            guard let principal else { throw .unauthorized("This resource needs a logged-in session.") }
            return principal
        }
    }

    /// The body parsed as XML (the route's Content-Type was already checked).
    public func xmlBody() throws(APIError) -> ParsedElement {
        do {
            return try XMLReader.parse(request.body, maxBytes: config.maxBodyBytes)
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
