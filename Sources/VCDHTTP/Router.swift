/// Matches method + path against patterns such as `/api/org/{id}`; knows nothing of vCD.
public struct Router<Handler: Sendable>: Sendable {
    public struct Route: Sendable {
        public let method: String
        public let pattern: String
        public let name: String
        let segments: [Segment]
        public let handler: Handler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    public enum Match {
        case found(Route, parameters: RouteParameters)
        /// The path exists but not for this method; carries the allowed methods.
        case methodNotAllowed([String])
        case notFound
    }

    public private(set) var routes: [Route] = []
    private var bySegmentCount: [Int: [Int]] = [:]

    public init() {}

    public mutating func add(_ method: String, _ pattern: String, name: String, _ handler: Handler) {
        let segments = Self.split(pattern).map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        bySegmentCount[segments.count, default: []].append(routes.count)
        routes.append(Route(method: method, pattern: pattern, name: name, segments: segments, handler: handler))
    }

    public func match(method: String, path: String) -> Match {
        let parts = Self.split(path)
        var allowed: [String] = []
        // Only routes with as many segments can match; indices avoid copying routes.
        for index in bySegmentCount[parts.count] ?? [] {
            guard let params = Self.bind(routes[index].segments, to: parts) else { continue }
            if routes[index].method == method { return .found(routes[index], parameters: params) }
            if !allowed.contains(routes[index].method) { allowed.append(routes[index].method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// A trailing slash is not significant: `/api/org/` and `/api/org` are one resource.
    static func split(_ path: String) -> [Substring] {
        var parts: [Substring] = []
        parts.reserveCapacity(6)
        let utf8 = path.utf8
        var start = utf8.startIndex
        var i = start
        while i != utf8.endIndex {
            if utf8[i] == UInt8(ascii: "/") {
                if i != start { parts.append(path[start..<i]) }
                start = utf8.index(after: i)
            }
            i = utf8.index(after: i)
        }
        if start != utf8.endIndex { parts.append(path[start...]) }
        return parts
    }

    static func bind(_ segments: [Segment], to parts: [Substring]) -> RouteParameters? {
        guard segments.count == parts.count else { return nil }
        var params = RouteParameters()
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                if !text.utf8.elementsEqual(part.utf8) { return nil }
            case .parameter(let name):
                params.values.append((name, PercentDecoding.decode(String(part))))
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
