import VCDCore
import VCDHTTP
import VCDXML

/// Everything a handler needs about one request, already authenticated and negotiated.
public struct Context: Sendable {
    public let request: HTTPRequest
    public let parameters: [String: String]
    public let hrefs: Hrefs
    public let version: String
    public let principal: Principal?
    public let store: Store
    public let config: AppConfig
    let cache: RenderCache

    public func param(_ name: String) -> String { parameters[name] ?? "" }

    /// The caller; routes marked `public` have none.
    public var caller: Principal {
        get throws(APIError) {
            guard let principal else { throw .unauthorized("This resource needs a logged-in session.") }
            return principal
        }
    }

    /// The body parsed as XML (the route's Content-Type was already checked).
    public func xmlBody() throws(APIError) -> XMLElement {
        do {
            return try XMLParser.parse(request.body, maxBytes: config.maxBodyBytes)
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
