import Foundation
import VCDCore

/// `/mock/operations`: how long each vApp operation takes and how it ends (success, or error with an Error).
/// `PUT /mock/operations/{operationName}` with `{"duration": "PT5S" | 5000, "outcome": "success" | "error",
/// "error": {"message", "majorErrorCode", "minorErrorCode"}}`; DELETE goes back to the default.
enum ControlOperations {
    struct View: Encodable {
        let defaultDurationMillis: Int64
        let operations: [Entry]
    }

    struct Entry: Encodable {
        let operationName: String
        let durationMillis: Int64
        let outcome: String
        let error: ErrorView?
    }

    struct ErrorView: Codable {
        let message: String
        let majorErrorCode: Int?
        let minorErrorCode: String?
    }

    struct Body: Decodable {
        let duration: Duration?
        let outcome: String?
        let error: ErrorView?
    }

    /// ISO 8601 text or milliseconds.
    struct Duration: Decodable {
        let millis: Int64?
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int64.self) { millis = n } else { millis = ControlledClock.milliseconds(iso8601Duration: try c.decode(String.self)) }
        }
    }

    static func list(_ c: Context) throws(APIError) -> Reply {
        let work = c.store.work
        let entries = VAppAction.operationNames.map { name in
            let b = work.behaviour(name)
            return Entry(operationName: name, durationMillis: b.durationMillis, outcome: b.error == nil ? "success" : "error",
                         error: b.error.map { ErrorView(message: $0.message, majorErrorCode: $0.majorErrorCode, minorErrorCode: $0.minorErrorCode) })
        }
        return try ControlStatus.json(View(defaultDurationMillis: work.defaultDurationMillis, operations: entries))
    }

    static func put(_ c: Context) throws(APIError) -> Reply {
        let name = try operationName(c)
        let body: Body
        do { body = try JSONDecoder().decode(Body.self, from: Data(c.request.body)) } catch {
            throw .badRequest("the body must be JSON like {\"duration\": \"PT5S\", \"outcome\": \"error\", \"error\": {\"message\": \"...\"}}")
        }
        var b = c.store.work.behaviour(name)
        if let d = body.duration {
            guard let ms = d.millis, ms >= 0 else { throw .badRequest("duration must be milliseconds >= 0 or an ISO 8601 duration such as PT5S") }
            b.durationMillis = ms
        }
        switch body.outcome ?? (body.error == nil ? "success" : "error") {
        case "success": b.error = nil
        case "error":
            let e = body.error
            b.error = TaskError(message: e?.message ?? "The operation \(name) failed (set by PUT /mock/operations/\(name)).",
                                majorErrorCode: e?.majorErrorCode ?? 500, minorErrorCode: e?.minorErrorCode ?? "INTERNAL_SERVER_ERROR")
        case let other: throw .badRequest("outcome '\(other)' is unknown; use success or error")
        }
        c.store.work.set(name, b)
        return try list(c)
    }

    static func delete(_ c: Context) throws(APIError) -> Reply {
        c.store.work.set(try operationName(c), nil)
        return .noContent
    }

    static func operationName(_ c: Context) throws(APIError) -> String {
        let name = c.param("operationName")
        guard VAppAction.operationNames.contains(name) else {
            throw .notFound("There is no operation '\(name)'; use one of: \(VAppAction.operationNames.joined(separator: ", ")).")
        }
        return name
    }
}
