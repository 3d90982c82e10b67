/// Where a broker is: parsed from `amqp://user:pass@host:port/vhost` (vhost percent-encoded, `%2F` = `/`).
public struct AMQPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var vhost: String
    public var username: String
    public var password: String

    public init(host: String, port: Int = 5672, vhost: String = "/", username: String = "guest", password: String = "guest") {
        self.host = host
        self.port = port
        self.vhost = vhost
        self.username = username
        self.password = password
    }

    public struct InvalidURL: Error, CustomStringConvertible {
        public let description: String
    }

    public init(url text: String) throws(InvalidURL) {
        guard text.hasPrefix("amqp://") else {
            throw InvalidURL(description: "'\(text)' is not an amqp:// URL (amqps is not supported)")
        }
        var rest = Substring(text.dropFirst("amqp://".count))
        var vhost = "/"
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty { vhost = decode(String(path)) }
            rest = rest[..<slash]
        }
        var user = "guest", password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let creds = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = creds.firstIndex(of: ":") {
                user = decode(String(creds[..<colon]))
                password = decode(String(creds[creds.index(after: colon)...]))
            } else {
                user = decode(String(creds))
            }
        }
        var host = String(rest), port = 5672
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            host = String(rest[..<colon])
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65535).contains(p) else {
                throw InvalidURL(description: "'\(text)' has no valid port")
            }
            port = p
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw InvalidURL(description: "'\(text)' names no host") }
        self.init(host: host, port: port, vhost: vhost, username: user, password: password)
    }

    /// Without the password.
    public var description: String { "amqp://\(username)@\(host):\(port)/\(vhost == "/" ? "%2F" : vhost)" }
}

private func decode(_ s: String) -> String {
    guard s.contains("%") else { return s }
    var out: [UInt8] = []
    var bytes = Array(s.utf8)[...]
    while let b = bytes.popFirst() {
        if b == UInt8(ascii: "%"), bytes.count >= 2,
           let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
            out.append(v)
            bytes = bytes.dropFirst(2)
        } else {
            out.append(b)
        }
    }
    return String(decoding: out, as: UTF8.self)
}
