import Foundation
import VCDCore
import VCDXML

/// An HTTP failure as vCD reports it: status, minorErrorCode and a message a person can act on.
/// How it is written depends on the path (see `App.render`).
public struct APIError: Error, Sendable, Equatable {
    public let status: Int
    public let minorCode: String
    public let message: String

    public init(_ status: Int, _ minorCode: String, _ message: String) {
        self.status = status
        self.minorCode = minorCode
        self.message = message
    }

    public static func badRequest(_ m: String) -> APIError { APIError(400, "BAD_REQUEST", m) }
    public static func unauthorized(_ m: String) -> APIError { APIError(401, "UNAUTHORIZED", m) }
    public static func forbidden(_ m: String) -> APIError { APIError(403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN", m) }
    public static func notFound(_ m: String) -> APIError { APIError(404, "RESOURCE_NOT_FOUND", m) }
    public static func methodNotAllowed(_ m: String) -> APIError { APIError(405, "METHOD_NOT_ALLOWED", m) }
    public static func notAcceptable(_ m: String) -> APIError { APIError(406, "NOT_ACCEPTABLE", m) }
    public static func conflict(_ m: String) -> APIError { APIError(409, "CONFLICT", m) }
    public static func tooLarge(_ m: String) -> APIError { APIError(413, "REQUEST_ENTITY_TOO_LARGE", m) }
    public static func unsupportedMediaType(_ m: String) -> APIError { APIError(415, "UNSUPPORTED_MEDIA_TYPE", m) }
    public static func internalError(_ m: String) -> APIError { APIError(500, "INTERNAL_SERVER_ERROR", m) }

    public init(_ error: DomainError) {
        switch error {
        case .badRequest(let m): self = .badRequest(m)
        case .unauthorized(let m): self = .unauthorized(m)
        case .forbidden(let m): self = .forbidden(m)
        case .notFound(let m): self = .notFound(m)
        case .conflict(let m): self = .conflict(m)
        case .duplicateName(let m): self = APIError(400, "DUPLICATE_NAME", m)
        }
    }

    public init(_ error: XMLParseError) { self = .badRequest(error.description) }

    /// The vCloud `Error` document (/api).
    var xmlBody: [UInt8] { ErrorDocument.encode(status: status, minorCode: minorCode, message: message) }

    /// The cloudapi error (/cloudapi): `{"minorErrorCode","message","stackTrace"}`.
    var cloudAPIBody: [UInt8] {
        struct Body: Encodable {
            let minorErrorCode, message: String
            let stackTrace: String?
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(minorErrorCode, forKey: .minorErrorCode)
                try c.encode(message, forKey: .message)
                try c.encode(stackTrace, forKey: .stackTrace) // null, as vCD sends when it has none
            }
            enum CodingKeys: CodingKey { case minorErrorCode, message, stackTrace }
        }
        return Self.json(Body(minorErrorCode: minorCode, message: message, stackTrace: nil))
    }

    /// The control API's error (/mock): `{"error": message, "minorErrorCode": code}`.
    var controlBody: [UInt8] { Self.json(["error": message, "minorErrorCode": minorCode]) }

    private static func json(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map(Array.init) ?? Array(#"{"error":"unencodable error"}"#.utf8)
    }
}
