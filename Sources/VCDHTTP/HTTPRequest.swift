/// One HTTP request as the application sees it: no C types, body already complete.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path exactly as sent (still percent-encoded), without the query.
    public var path: String
    /// The raw query string after `?`, or nil when the URI has none.
    public var query: String?
    /// Header fields in arrival order with the client's casing.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// True when the body was larger than the server's limit; `body` is then empty.
    public var bodyTooLarge: Bool
    public var remoteAddress: String
    public var remotePort: UInt16

    public init(method: String, path: String, query: String? = nil,
                headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                bodyTooLarge: Bool = false, remoteAddress: String = "", remotePort: UInt16 = 0) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
    }

    /// First value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
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
