/// Matches method + path against patterns such as `/api/org/{id}`; knows nothing of vCD.
/// Every request is routed, so matching works on the path's bytes: no array of substrings, no
/// decoding until a route fits.
public struct Router<Handler: Sendable>: Sendable {
    public struct Route: Sendable {
        public let method: String
        public let pattern: String
        public let name: String
        let segments: [Segment]
        public let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case parameter(String)
    }

    public enum Match {
        case found(Route, parameters: RouteParameters)
        /// The path exists but not for this method; carries the allowed methods.
        case methodNotAllowed([String])
        case notFound
    }

    public private(set) var routes: [Route] = []
    /// Candidate route indices, in table order, by segment count and the bytes of the second segment
    /// (`/api/org/...` → "org"); routes whose second segment is a parameter are in every list of their count.
    private var byShape: [Shape: [Int]] = [:]
    private var byCount: [Int: [Int]] = [:]
    /// Routes whose second segment is a parameter, by segment count: a path with an unknown second segment
    /// can only match one of these.
    private var wildcardsByCount: [Int: [Int]] = [:]
    private var deepest = 0

    /// A segment count and a hash of the second segment's bytes: building it allocates nothing. Two
    /// segments with one hash share a list, which stays correct (`fits` checks every literal).
    private struct Shape: Hashable {
        let count: Int
        let second: UInt64

        init<Bytes: Sequence<UInt8>>(count: Int, second bytes: Bytes) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            self.count = count
            second = hash
        }
    }

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, name: String, _ handler: Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(Array(part.utf8))
        }
        let index = routes.count
        routes.append(Route(method: method, pattern: pattern, name: name, segments: segments, handler: handler))
        if segments.count > 1, case .literal(let second) = segments[1] {
            let shape = Shape(count: segments.count, second: second)
            if byShape[shape] == nil { byShape[shape] = wildcardsByCount[segments.count] ?? [] }
            byShape[shape]?.append(index)
        } else {
            for key in byShape.keys where key.count == segments.count { byShape[key]?.append(index) }
            wildcardsByCount[segments.count, default: []].append(index)
        }
        byCount[segments.count, default: []].append(index)
        deepest = max(deepest, segments.count)
    }

    public func match(method: String, path: String) -> Match {
        // The bytes where they lie: a `var` copy for `withUTF8` cost a retain and a release a request.
        if let found = path.utf8.withContiguousStorageIfAvailable({ match(method: method, bytes: $0) }) { return found }
        var path = path
        return path.withUTF8 { match(method: method, bytes: $0) }
    }

    private func match(method: String, bytes: UnsafeBufferPointer<UInt8>) -> Match {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: deepest + 1) { parts in
            // Segment ranges; one more than any route has means no route fits.
            var count = 0
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
                if i > start {
                    if count == parts.count { return .notFound }
                    parts[count] = start..<i
                    count += 1
                }
                start = i + 1
            }
            let parts = UnsafeBufferPointer(rebasing: parts[..<count])
            let candidates: [Int]
            if count > 1 {
                candidates = byShape[Shape(count: count, second: bytes[parts[1]])] ?? wildcardsByCount[count] ?? []
            } else {
                candidates = byCount[count] ?? []
            }
            var allowed: [String] = []
            for index in candidates where Self.fits(routes[index].segments, parts, bytes) {
                if routes[index].method == method {
                    return .found(routes[index], parameters: Self.bind(routes[index].segments, parts, bytes))
                }
                if !allowed.contains(routes[index].method) { allowed.append(routes[index].method) }
            }
            return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
        }
    }

    /// Whether every literal segment matches (parameters match anything). A trailing slash is not
    /// significant: `/api/org/` and `/api/org` are one resource.
    static func fits(_ segments: [Segment], _ parts: UnsafeBufferPointer<Range<Int>>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard segments.count == parts.count else { return false }
        for (segment, part) in zip(segments, parts) {
            if case .literal(let text) = segment, !text.elementsEqual(bytes[part]) { return false }
        }
        return true
    }

    /// The parameters of a route that fits, percent-decoded.
    static func bind(_ segments: [Segment], _ parts: UnsafeBufferPointer<Range<Int>>, _ bytes: UnsafeBufferPointer<UInt8>) -> RouteParameters {
        var params = RouteParameters()
        for (segment, part) in zip(segments, parts) {
            if case .parameter(let name) = segment {
                let raw = UnsafeBufferPointer(rebasing: bytes[part])
                let text = String(decoding: raw, as: UTF8.self)
                // Ids are almost never escaped: looking for `%` in the bytes is ~30 instructions, decode's own check ~1,000.
                params.values.append((name, raw.contains(UInt8(ascii: "%")) ? PercentDecoding.decode(text) : text))
            }
        }
        return params
    }
}

/// Values bound to `{name}` segments, in path order.
public struct RouteParameters: Sendable {
    var values: [(name: String, value: String)] = []

    public init() {}

    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }
}
