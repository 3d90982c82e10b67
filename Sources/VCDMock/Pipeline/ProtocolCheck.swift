import VCDHTTP

extension Step {
    /// What the HTTP layer found wrong with the request itself (limits, RFC 9112), answered like every
    /// other error: vCD `Error` XML for /api, JSON for /cloudapi and /mock. Runs before everything else.
    static let protocolCheck = Step(name: "protocolCheck") { _, ex throws(APIError) in
        guard let violation = ex.request.violation else { return nil }
        switch violation {
        case .urlTooLong(let bytes, let limit):
            throw APIError(414, "BAD_REQUEST", "The request URL is \(bytes) bytes; at most \(limit) are accepted (see --max-url-bytes).")
        case .headersTooLarge(let bytes, let limit):
            throw APIError(431, "BAD_REQUEST", "The request header fields are \(bytes) bytes; at most \(limit) are accepted (see --max-header-bytes).")
        case .missingHost:
            throw .badRequest("An HTTP/1.1 request needs a Host header (RFC 9112, section 3.2).")
        case .unreadable(let status, let message):
            throw APIError(status, status == 413 ? "REQUEST_ENTITY_TOO_LARGE" : status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST", message)
        }
    }
}
