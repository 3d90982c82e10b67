import Foundation
import VCDXML

/// A small blocking HTTP/1.1 client on a plain socket: keep-alive, exact bytes, no added headers.
final class TestClient: @unchecked Sendable {
    let port: UInt16
    var token: String?
    var accept: String? = "application/*+xml;version=5.5"
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    /// Connections opened so far (to observe keep-alive).
    private(set) var connects = 0

    init(port: UInt16) { self.port = port }
    deinit { close() }

    struct Response {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        func xml() throws -> ParsedElement { try XMLReader.parse(body, maxBytes: 256 << 20) }
    }

    static func basic(_ credentials: String) -> String { "Basic " + Data(credentials.utf8).base64EncodedString() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        buffer = []
    }

    /// Sends a request; adds Accept and the session token unless given, and Content-Length for bodies.
    func send(_ method: String, _ target: String, headers: [String: String] = [:], body: [UInt8] = []) throws -> Response {
        var lines = ["\(method) \(pathOf(target)) HTTP/1.1", "Host: 127.0.0.1:\(port)"]
        var all = headers
        if let accept, all["Accept"] == nil { all["Accept"] = accept }
        if let token, all["x-vcloud-authorization"] == nil, all["Authorization"] == nil { all["x-vcloud-authorization"] = token }
        if !body.isEmpty || method == "POST" || method == "PUT" { all["Content-Length"] = String(body.count) }
        for (k, v) in all.sorted(by: { $0.key < $1.key }) { lines.append("\(k): \(v)") }
        let head = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        return try exchange(head + body)
    }

    func send(_ method: String, _ target: String, xml: String, contentType: String, headers: [String: String] = [:]) throws -> Response {
        var h = headers
        h["Content-Type"] = contentType
        return try send(method, target, headers: h, body: Array(xml.utf8))
    }

    /// Writes raw bytes and reads one response (reconnects once if a kept-alive socket was closed).
    func exchange(_ bytes: [UInt8]) throws -> Response {
        for attempt in 0..<2 {
            if fd < 0 { try connect() }
            if writeAll(bytes), let r = try readResponse() { return r }
            close()
            if attempt == 1 { break }
        }
        throw TestFailure("no response from 127.0.0.1:\(port)")
    }

    private func pathOf(_ target: String) -> String {
        guard target.hasPrefix("http"), let url = URL(string: target) else { return target }
        let q = url.query.map { "?" + $0 } ?? ""
        return url.path + q
    }

    private func connect() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(); throw TestFailure("cannot connect to port \(port)") }
        connects += 1
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private func readResponse() throws -> Response? {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let r = buffer.firstRange(of: crlf2) { headEnd = r.lowerBound; break }
            if !fill() { return nil }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(head[0])") }
        var headers: [(String, String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let length = Int(headers.first { $0.0.lowercased() == "content-length" }?.1 ?? "0") ?? 0
        let bodyStart = headEnd! + 4
        while buffer.count < bodyStart + length { if !fill() { return nil } }
        let body = Array(buffer[bodyStart..<bodyStart + length])
        buffer.removeFirst(bodyStart + length)
        if headers.contains(where: { $0.0.lowercased() == "connection" && $0.1.lowercased() == "close" }) { close() }
        return Response(status: status, headers: headers, body: body)
    }
}
