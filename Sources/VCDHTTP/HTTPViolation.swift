/// A request the HTTP layer read but that breaks a limit or RFC 9112; the application answers it in its
/// own error format (vcd-mock: a vCD `Error`), so no answer comes from libmicrohttpd's HTML pages.
public enum HTTPViolation: Sendable, Equatable {
    /// 414: the request target is longer than the limit.
    case urlTooLong(bytes: Int, limit: Int)
    /// 431: the header fields together are larger than the limit.
    case headersTooLarge(bytes: Int, limit: Int)
    /// 400: HTTP/1.1 without a Host header (RFC 9112 section 3.2).
    case missingHost
    /// libmicrohttpd refused the request before the handler saw it and would have answered `status` (400 bad
    /// Content-Length or header line, 413 Content-Length past 64 bits, 414/431 a head past its memory pool).
    case unreadable(status: Int, message: String)

    /// The first violation of a request, or nil. Cheap: counts already made while reading the headers.
    static func check(_ request: HTTPRequest, uriBytes: Int, headerBytes: Int,
                      maxURLBytes: Int, maxHeaderBytes: Int) -> HTTPViolation? {
        if uriBytes > maxURLBytes { return .urlTooLong(bytes: uriBytes, limit: maxURLBytes) }
        if headerBytes > maxHeaderBytes { return .headersTooLarge(bytes: headerBytes, limit: maxHeaderBytes) }
        if request.version == "HTTP/1.1", request.header("Host") == nil { return .missingHost }
        return nil
    }
}
