/// One HTTP request as the application sees it: no C types, body already complete.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path exactly as sent (still percent-encoded), without the query.
    public var path: String
    /// The raw query string after `?`, or nil when the URI has none.
    public var query: String?
    /// Header fields in arrival order with the client's casing.
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// True when the body was larger than the server's limit; `body` is then empty.
    public var bodyTooLarge: Bool
    public var remoteAddress: String
    public var remotePort: UInt16
    /// As on the request line, e.g. "HTTP/1.1".
    public var version: String
    /// A protocol limit or rule the request broke (the application answers it as its own error).
    public var violation: HTTPViolation?

    public init(method: String, path: String, query: String? = nil,
                headers: [HTTPHeader] = [], body: [UInt8] = [],
                bodyTooLarge: Bool = false, remoteAddress: String = "", remotePort: UInt16 = 0,
                version: String = "HTTP/1.1", violation: HTTPViolation? = nil) {
        self.version = version
        self.violation = violation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
    }

    /// First value of a header, matched case-insensitively (ASCII, without allocating).
    public func header(_ name: String) -> String? {
        headers.first { equalsIgnoringASCIICase($0.name, name) }?.value
    }

    /// Decoded query parameters (later values win).
    public var queryItems: [String: String] {
        guard let query else { return [:] }
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let key = PercentDecoding.decode(String(parts[0]), plusIsSpace: true)
            items[key] = parts.count > 1 ? PercentDecoding.decode(String(parts[1]), plusIsSpace: true) : ""
        }
        return items
    }
}

/// Header names are ASCII; compare them byte by byte, folding A-Z. Lengths first: most names differ
/// there, and `utf8.count` costs nothing for native strings (`withUTF8` on a copy cost ~100 instructions).
@inlinable
public func equalsIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
    guard a.utf8.count == b.utf8.count else { return false }
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y in asciiCaseInsensitiveEqual(x, y) }
    }
    if let fast, let result = fast { return result }
    let x = Array(a.utf8), y = Array(b.utf8)
    return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in asciiCaseInsensitiveEqual(xp, yp) } }
}

@inlinable
func asciiCaseInsensitiveEqual(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
    guard x.count == y.count else { return false }
    for i in 0..<x.count {
        let p = x[i], q = y[i]
        if p == q { continue }
        if p | 0x20 != q | 0x20 || !((p | 0x20) >= 0x61 && (p | 0x20) <= 0x7a) { return false }
    }
    return true
}
