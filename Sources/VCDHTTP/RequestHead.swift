import CMicroHTTPD
import CMicroHTTPDShims
import Foundation

// A request's head as libmicrohttpd parsed it (request line, header fields, client address) made into an
// `HTTPRequest`; runs once per request, so common names, methods and versions become literals.

func makeRequest(connection: OpaquePointer, method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?,
                 state: RequestState, context: ServerContext) -> HTTPRequest {
    var path = state.uri
    var query: String?
    // On the bytes: the generic `utf8.firstIndex(of:)` cost ~370 instructions a request.
    if let q = path.withUTF8({ $0.firstIndex(of: UInt8(ascii: "?")) }) {
        let at = path.utf8.index(path.utf8.startIndex, offsetBy: q)
        query = String(path[path.utf8.index(after: at)...])
        path = String(path[..<at])
    }
    var headers = HeaderList()
    withUnsafeMutablePointer(to: &headers) { ptr in
        _ = MHD_get_connection_values(connection, .HEADER_KIND, collectHeader, ptr)
    }
    var port: UInt16 = 0
    let remote = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buf in
        vcdm_client_address(connection, buf.baseAddress!, 64, &port) == 0 ? String(cString: buf.baseAddress!) : ""
    }
    let httpVersion = version.map { knownText($0, httpVersions) ?? String(cString: $0) } ?? "HTTP/1.1"
    var request = HTTPRequest(method: method.map { knownText($0, httpMethods) ?? String(cString: $0) } ?? "GET", path: path, query: query,
                              headers: headers.items, body: state.body, bodyTooLarge: state.tooLarge,
                              remoteAddress: remote, remotePort: port, version: httpVersion)
    request.violation = HTTPViolation.check(request, uriBytes: state.uri.utf8.count, headerBytes: headers.bytes,
                                            maxURLBytes: context.maxURLBytes, maxHeaderBytes: context.maxHeaderBytes)
    return request
}

struct HeaderList {
    var items: [HTTPHeader] = []
    /// Field names and values plus ": " and CRLF each, as on the wire.
    var bytes = 0
    init() { items.reserveCapacity(12) }
}

let collectHeader: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return .YES }
    let list = cls.assumingMemoryBound(to: HeaderList.self)
    let header = HTTPHeader(commonHeaderName(key) ?? String(cString: key), value.map { String(cString: $0) } ?? "")
    list.pointee.bytes += header.name.utf8.count + header.value.utf8.count + 4
    list.pointee.items.append(header)
    return .YES
}

/// Names clients send on every request, spelled exactly as sent: a literal costs no allocation and no
/// UTF-8 check (String(cString:) was ~250 instructions a name). Anything else is copied as before.
private let commonHeaderNames: [[String]] = {
    let names = [
        "Host", "Accept", "Content-Type", "Content-Length", "x-vcloud-authorization", "Authorization", "User-Agent",
        "Connection", "Accept-Encoding", "X-VMWARE-VCLOUD-CLIENT-REQUEST-ID", "host", "accept", "content-type",
        "content-length", "authorization", "user-agent", "connection", "accept-encoding",
    ]
    // By length: a name is compared with the one or two of its length only.
    var byLength = [[String]](repeating: [], count: 64)
    for name in names { byLength[name.utf8.count].append(name) }
    return byLength
}()

/// Methods and versions as literals, for the same reason.
private let httpMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]
private let httpVersions = ["HTTP/1.1", "HTTP/1.0"]

/// The literal in `known` that `text` spells, if any.
private func knownText(_ text: UnsafePointer<CChar>, _ known: [String]) -> String? {
    known.first { $0.utf8.withContiguousStorageIfAvailable { k in
        k.baseAddress.map { strncmp(text, UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), k.count) == 0 && text[k.count] == 0 } ?? false
    } == true }
}

private func commonHeaderName(_ key: UnsafePointer<CChar>) -> String? {
    let length = strlen(key)
    guard length < commonHeaderNames.count else { return nil }
    for name in commonHeaderNames[length] {
        if name.utf8.withContiguousStorageIfAvailable({ $0.baseAddress.map { memcmp($0, key, length) == 0 } ?? false }) == true { return name }
    }
    return nil
}
