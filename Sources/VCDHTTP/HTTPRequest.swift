#if canImport(Glibc)
import Glibc
#endif

/// One HTTP request as the application sees it: no C types, body already complete.
/// A value type whose fields live in one shared, copy-on-write object: the pipeline hands the request on
/// several times (into the exchange, the handler's context, ...), and each copy of ten fields retained ten
/// objects (~220 instructions, five copies a request); now a copy is one retain.
public struct HTTPRequest: Sendable {
    /// The fields, as the memberwise initializer lists them.
    private struct Fields {
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
    }

    private final class Storage: @unchecked Sendable {
        // Written only through `HTTPRequest`'s accessors, after `isKnownUniquelyReferenced`: never shared.
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    public var method: String {
        get { storage.fields.method }
        _modify { let s = unique(); yield &s.fields.method }
    }
    /// The path exactly as sent (still percent-encoded), without the query.
    public var path: String {
        get { storage.fields.path }
        _modify { let s = unique(); yield &s.fields.path }
    }
    /// The raw query string after `?`, or nil when the URI has none.
    public var query: String? {
        get { storage.fields.query }
        _modify { let s = unique(); yield &s.fields.query }
    }
    /// Header fields in arrival order with the client's casing.
    public var headers: [HTTPHeader] {
        get { storage.fields.headers }
        _modify { let s = unique(); yield &s.fields.headers }
    }
    public var body: [UInt8] {
        get { storage.fields.body }
        _modify { let s = unique(); yield &s.fields.body }
    }
    /// True when the body was larger than the server's limit; `body` is then empty.
    public var bodyTooLarge: Bool {
        get { storage.fields.bodyTooLarge }
        _modify { let s = unique(); yield &s.fields.bodyTooLarge }
    }
    public var remoteAddress: String {
        get { storage.fields.remoteAddress }
        _modify { let s = unique(); yield &s.fields.remoteAddress }
    }
    public var remotePort: UInt16 {
        get { storage.fields.remotePort }
        _modify { let s = unique(); yield &s.fields.remotePort }
    }
    /// As on the request line, e.g. "HTTP/1.1".
    public var version: String {
        get { storage.fields.version }
        _modify { let s = unique(); yield &s.fields.version }
    }
    /// A protocol limit or rule the request broke (the application answers it as its own error).
    public var violation: HTTPViolation? {
        get { storage.fields.violation }
        _modify { let s = unique(); yield &s.fields.violation }
    }

    public init(method: String, path: String, query: String? = nil,
                headers: [HTTPHeader] = [], body: [UInt8] = [],
                bodyTooLarge: Bool = false, remoteAddress: String = "", remotePort: UInt16 = 0,
                version: String = "HTTP/1.1", violation: HTTPViolation? = nil) {
        storage = Storage(Fields(method: method, path: path, query: query, headers: headers, body: body, bodyTooLarge: bodyTooLarge,
                                 remoteAddress: remoteAddress, remotePort: remotePort, version: version, violation: violation))
    }

    /// First value of a header, matched case-insensitively (ASCII, without allocating).
    public func header(_ name: String) -> String? {
        // In place: `headers.first { }` copied the array and each header it passed (~150 instructions a call,
        // five calls a request).
        storage.fields.headers.withUnsafeBufferPointer { all in
            for i in all.indices where equalsIgnoringASCIICase(all[i].name, name) { return all[i].value }
            return nil
        }
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
    // Clients mostly send a name as it is looked up: one memcmp then, not a folded compare a byte at a time
    // (~8 instructions a byte: 180 for x-vcloud-authorization).
    if let a = x.baseAddress, let b = y.baseAddress, memcmp(a, b, x.count) == 0 { return true }
    for i in 0..<x.count {
        let p = x[i], q = y[i]
        if p == q { continue }
        if p | 0x20 != q | 0x20 || !((p | 0x20) >= 0x61 && (p | 0x20) <= 0x7a) { return false }
    }
    return true
}
