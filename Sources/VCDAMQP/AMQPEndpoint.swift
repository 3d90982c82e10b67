import Foundation

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

    /// Parsed by Foundation's URLComponents; only the vhost's leading `/` and the defaults are ours.
    public init(url text: String) throws(InvalidURL) {
        guard text.hasPrefix("amqp://") else {
            throw InvalidURL(description: "'\(text)' is not an amqp:// URL (amqps is not supported)")
        }
        guard let url = URLComponents(string: text) else {
            throw InvalidURL(description: "'\(text)' is not a valid URL (check the port and any %-escapes)")
        }
        var host = url.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw InvalidURL(description: "'\(text)' names no host") }
        let port = url.port ?? 5672
        guard (1...65535).contains(port) else { throw InvalidURL(description: "'\(text)' has no valid port") }
        // The vhost is one path segment, percent-decoded after the slash is cut: `%2F` is the vhost "/".
        let path = url.percentEncodedPath.dropFirst(url.percentEncodedPath.hasPrefix("/") ? 1 : 0)
        let vhost = path.isEmpty ? "/" : String(path).removingPercentEncoding ?? String(path)
        self.init(host: host, port: port, vhost: vhost, username: url.user ?? "guest", password: url.password ?? "guest")
    }

    /// Without the password.
    public var description: String { "amqp://\(username)@\(host):\(port)/\(vhost == "/" ? "%2F" : vhost)" }
}
