/// What a handler answers. The server adds Content-Length and Date itself.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    /// The body came from `BodyPool.shared` and goes back to it once sent (a copy kept elsewhere stays as it
    /// is: the next writer of a shared array copies it first).
    public var pooledBody = false

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.init(status: status, headers: [HTTPHeader("Content-Type", contentType)], body: body)
    }

    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { equalsIgnoringASCIICase($0.name, name) }
        headers.append(HTTPHeader(name, value))
    }

    public func header(_ name: String) -> String? {
        headers.first { equalsIgnoringASCIICase($0.name, name) }?.value
    }
}

/// One header field; a struct rather than a tuple so arrays of them stay cheap on the hot path.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
