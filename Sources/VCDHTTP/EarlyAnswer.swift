import CMicroHTTPD
import CMicroHTTPDShims
import Foundation

// A request libmicrohttpd refuses before the access handler sees it (bad Content-Length, malformed header
// line, a head larger than its memory pool) still gets the application's answer: guard.c's logger calls
// this on MHD's thread and sends the bytes itself (early.c). Only on that error path; costs nothing else.
let earlyAnswer: vcdm_early_answer_cb = { cls, connection, request, status, length in
    guard let cls, let connection, let length else { return nil }
    let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
    let uri = request.map { Unmanaged<RequestState>.fromOpaque($0).takeUnretainedValue().uri }
    var headers = HeaderList()
    withUnsafeMutablePointer(to: &headers) { ptr in
        _ = MHD_get_connection_values(connection, .HEADER_KIND, collectHeader, ptr)
    }
    var port: UInt16 = 0
    let remote = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf -> String in
        guard let base = buf.baseAddress, vcdm_client_address(connection, base, 64, &port) == 0 else { return "" }
        return String(cString: base)
    }
    // Without the request line (414) the path is unknown: the /api family's answer (vCD Error XML) is used.
    var path = uri ?? "/api/"
    var query: String?
    if let q = path.firstIndex(of: "?") {
        query = String(path[path.index(after: q)...])
        path = String(path[..<q])
    }
    // MHD does not tell the method of a refused request; "-" shows that in logs and journals.
    let refused = HTTPRequest(method: "-", path: path, query: query, headers: headers.items,
                              remoteAddress: remote, remotePort: port,
                              violation: .unreadable(status: Int(status), message: EarlyAnswer.message(Int(status), context)))
    guard case .now(let response) = context.handler(refused) else { return nil }
    let bytes = EarlyAnswer.serialize(response)
    guard let out = malloc(max(1, bytes.count)) else { return nil }
    bytes.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    length.pointee = bytes.count
    return out
}

enum EarlyAnswer {
    /// What the client did wrong, by the status MHD chose (connection.c, 0.9.75).
    static func message(_ status: Int, _ context: ServerContext) -> String {
        switch status {
        case 413:
            return "The Content-Length is too large to be a number of bytes; request bodies are limited to \(context.maxBodyBytes) bytes (see --max-body)."
        case 414:
            return "The request line is longer than this server reads; request URLs are limited to \(context.maxURLBytes) bytes (see --max-url-bytes)."
        case 431:
            return "The request head is larger than this server reads; header fields are limited to \(context.maxHeaderBytes) bytes (see --max-header-bytes)."
        case 400:
            return "The request head cannot be read: Content-Length must be a decimal number of bytes and every header line a 'Name: value' field (RFC 9112, sections 5 and 6.3)."
        default:
            return "The HTTP layer could not read the request (status \(status))."
        }
    }

    /// A complete HTTP/1.1 response that ends the connection.
    static func serialize(_ response: HTTPResponse) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for header in response.headers where !["content-length", "connection", "date"].contains(header.name.lowercased()) {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Date: \(httpDate())\r\nConnection: close\r\nContent-Length: \(response.body.count)\r\n\r\n"
        return Array(head.utf8) + response.body
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        default: "Error"
        }
    }

    /// RFC 9110 IMF-fixdate, as MHD writes it.
    static func httpDate() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf -> String in
            guard let base = buf.baseAddress else { return "" }
            let n = strftime(base, 64, "%a, %d %b %Y %H:%M:%S GMT", &parts)
            return n > 0 ? String(cString: base) : ""
        }
    }
}
