/// One HTTP request as the application sees it: no C types, body already complete.
/// A value type whose fields live in one shared, copy-on-write object: the pipeline hands the request on
/// several times (into the exchange, the handler's context, ...), and each copy of ten fields retained ten
/// objects (~220 instructions, five copies a request); now a copy is one retain.
public struct HTTPRequest: Sendable {
    private final class Storage: @unchecked Sendable {
        // Written only through `HTTPRequest`'s setters, after `isKnownUniquelyReferenced`: never shared.
        var method: String
        var path: String
        var query: String?
        var headers: [HTTPHeader]
        var body: [UInt8]
        var bodyTooLarge: Bool
        var remoteAddress: String
        var remotePort: UInt16
        var version: String
        var violation: HTTPViolation?

        init(method: String, path: String, query: String?, headers: [HTTPHeader], body: [UInt8], bodyTooLarge: Bool,
             remoteAddress: String, remotePort: UInt16, version: String, violation: HTTPViolation?) {
            (self.method, self.path, self.query, self.headers, self.body) = (method, path, query, headers, body)
            (self.bodyTooLarge, self.remoteAddress, self.remotePort) = (bodyTooLarge, remoteAddress, remotePort)
            (self.version, self.violation) = (version, violation)
        }

        func copy() -> Storage {
            Storage(method: method, path: path, query: query, headers: headers, body: body, bodyTooLarge: bodyTooLarge,
                    remoteAddress: remoteAddress, remotePort: remotePort, version: version, violation: violation)
        }
    }

    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
    }

    public var method: String {
        get { storage.method }
        _modify { let s = unique(); yield &s.method }
    }
    /// The path exactly as sent (still percent-encoded), without the query.
    public var path: String {
        get { storage.path }
        _modify { let s = unique(); yield &s.path }
    }
    /// The raw query string after `?`, or nil when the URI has none.
    public var query: String? {
        get { storage.query }
        _modify { let s = unique(); yield &s.query }
    }
    /// Header fields in arrival order with the client's casing.
    public var headers: [HTTPHeader] {
        get { storage.headers }
        _modify { let s = unique(); yield &s.headers }
    }
    public var body: [UInt8] {
        get { storage.body }
        _modify { let s = unique(); yield &s.body }
    }
    /// True when the body was larger than the server's limit; `body` is then empty.
    public var bodyTooLarge: Bool {
        get { storage.bodyTooLarge }
        _modify { let s = unique(); yield &s.bodyTooLarge }
    }
    public var remoteAddress: String {
        get { storage.remoteAddress }
        _modify { let s = unique(); yield &s.remoteAddress }
    }
    public var remotePort: UInt16 {
        get { storage.remotePort }
        _modify { let s = unique(); yield &s.remotePort }
    }
    /// As on the request line, e.g. "HTTP/1.1".
    public var version: String {
        get { storage.version }
        _modify { let s = unique(); yield &s.version }
    }
    /// A protocol limit or rule the request broke (the application answers it as its own error).
    public var violation: HTTPViolation? {
        get { storage.violation }
        _modify { let s = unique(); yield &s.violation }
    }

    public init(method: String, path: String, query: String? = nil,
                headers: [HTTPHeader] = [], body: [UInt8] = [],
                bodyTooLarge: Bool = false, remoteAddress: String = "", remotePort: UInt16 = 0,
                version: String = "HTTP/1.1", violation: HTTPViolation? = nil) {
        storage = Storage(method: method, path: path, query: query, headers: headers, body: body, bodyTooLarge: bodyTooLarge,
                          remoteAddress: remoteAddress, remotePort: remotePort, version: version, violation: violation)
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
