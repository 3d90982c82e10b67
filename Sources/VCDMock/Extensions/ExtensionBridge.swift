import Foundation
import Synchronization
import VCDAMQP
import VCDCore
import VCDHTTP
import VCDXML

/// vCD's side of the extension-service loop (§5.5-5.7): a matching request becomes a
/// `[request, securityContext]` JSON message on the service's exchange; the reply becomes the response.
public final class ExtensionBridge: Sendable {
    public let client: RequestReplyClient
    public let timeout: Double
    let malformed = Atomic<Int>(0)
    /// Correlation ids (and the cell id when none is given): the store's generator, so `--seed` fixes them.
    let ids: any IDGenerator

    public static let replyExchange = "vcd.replyExchange"

    public init(endpoint: AMQPEndpoint?, timeout: Double, cellID: String? = nil, ids: any IDGenerator = RandomIDs(),
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.ids = ids
        client = RequestReplyClient(endpoint: endpoint, replyExchange: Self.replyExchange, cellID: cellID ?? ids.uuid(), log: log)
        self.timeout = timeout
    }

    public func reconfigure(endpoint: AMQPEndpoint?) { client.reconfigure(endpoint: endpoint) }

    public struct Stats: Encodable {
        public let forwarded, replied, timedOut, lateReplies, unknownReplies, malformedReplies: Int
        public let exchangeMissing, brokerUnavailable, pending: Int
        public let connected: Bool
        public let replyQueue: String
        public let timeoutSeconds: Double
    }

    public var stats: Stats {
        let s = client.stats
        return Stats(forwarded: s.forwarded, replied: s.replied, timedOut: s.timedOut, lateReplies: s.lateReplies,
                     unknownReplies: s.unknownReplies, malformedReplies: malformed.load(ordering: .relaxed),
                     exchangeMissing: s.exchangeMissing, brokerUnavailable: s.brokerUnavailable, pending: s.pending,
                     connected: s.connected, replyQueue: s.replyQueue, timeoutSeconds: timeout)
    }

    /// Publishes the request; `respond` runs once with the service's answer or the vCD error for it.
    func forward(_ request: HTTPRequest, to service: ExtensionService, as caller: Principal,
                 respond: @escaping @Sendable (Result<HTTPResponse, APIError>) -> Void) {
        let id = ids.uuid()
        let message = ForwardedRequest.json(request, id: id, caller: caller)
        let headers = [(key: "messageType", value: "ProcessHttpRequest"), (key: "replyToExchange", value: Self.replyExchange)]
        let timeout = self.timeout
        client.send(RequestReplyClient.Request(exchange: service.exchange, routingKey: service.routingKey, correlationID: id,
                                               headers: headers, body: message, timeout: timeout)) { result in
            switch result {
            case .success(let body):
                do throws(ForwardedRequest.Malformed) {
                    respond(.success(try ForwardedRequest.response(from: body)))
                } catch {
                    self.malformed.add(1, ordering: .relaxed)
                    respond(.failure(APIError(502, "BAD_GATEWAY",
                                              "External service '\(service.name)' sent a malformed reply: \(error.description)")))
                }
            case .failure(.timeout):
                respond(.failure(APIError(504, "GATEWAY_TIMEOUT",
                                          "External service '\(service.name)' failed to respond in the specified timeout (\(Int(timeout)) SECONDS)")))
            case .failure(.exchangeMissing(let exchange)):
                respond(.failure(APIError(500, "INTERNAL_SERVER_ERROR",
                                          "The exchange '\(exchange)' of external service '\(service.name)' does not exist on the AMQP broker; the service must declare it (type direct).")))
            case .failure(.brokerUnavailable(let reason)):
                respond(.failure(APIError(500, "INTERNAL_SERVER_ERROR",
                                          "External service '\(service.name)' cannot be reached: \(reason)")))
            }
        }
    }
}

/// The JSON of §5.5 and the reply of §5.6.
enum ForwardedRequest {
    struct Malformed: Error, CustomStringConvertible { let description: String }

    /// The request as sent to the service (§5.5).
    struct Request: Encodable {
        let id, method, scheme, `protocol`, requestUri: String
        @NullIfNil var queryString: String?
        let headers: [String: String]
        /// Base64.
        let body: String
        let localAddr: String
        let localPort: Int
        let remoteAddr: String
        let remotePort: Int
        let request: Bool
    }

    /// Who is asking (§5.5), the second element of the message.
    struct SecurityContext: Encodable {
        let user, org: String
        let rights, roles: [String]
    }

    /// The message is a two-element array, `[request, context]`.
    struct Message: Encodable {
        let request: Request
        let context: SecurityContext

        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(request)
            try c.encode(context)
        }
    }

    static func json(_ r: HTTPRequest, id: String, caller: Principal) -> [UInt8] {
        var headers: [String: String] = [:]
        for h in r.headers { headers[h.name] = headers[h.name].map { $0 + ", " + h.value } ?? h.value }
        let host = r.header("Host") ?? "127.0.0.1"
        let (localAddr, localPort) = split(host)
        let request = Request(id: id, method: r.method, scheme: "http", protocol: "HTTP/1.1", requestUri: r.path,
                              queryString: r.query, headers: headers, body: Data(r.body).base64EncodedString(),
                              localAddr: localAddr, localPort: localPort, remoteAddr: r.remoteAddress,
                              remotePort: Int(r.remotePort), request: true)
        let context = SecurityContext(user: urn("user", caller.user.id), org: urn("org", caller.orgID), rights: [],
                                      roles: [caller.user.role.displayName])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(Message(request: request, context: context))) ?? Data())
    }

    static func split(_ host: String) -> (String, Int) {
        guard let colon = host.lastIndex(of: ":"), let port = Int(host[host.index(after: colon)...]) else { return (host, 80) }
        return (String(host[..<colon]), port)
    }

    /// `{id, statusCode, headers, body (Base64), request: false}` -> the HTTP response.
    static func response(from body: [UInt8]) throws(Malformed) -> HTTPResponse {
        guard let reply = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body)) else {
            throw Malformed(description: "the body is not a JSON object")
        }
        guard let status = reply["statusCode"]?.integer, (100...599).contains(status) else {
            throw Malformed(description: "statusCode is missing or not an HTTP status")
        }
        var bytes: [UInt8] = []
        switch reply["body"] {
        case .string(let text) where !text.isEmpty:
            guard let data = Data(base64Encoded: text) else { throw Malformed(description: "body is not valid Base64") }
            bytes = Array(data)
        case nil, .null, .string: break
        default: throw Malformed(description: "body must be a Base64 string")
        }
        var response = HTTPResponse(status: status, body: bytes)
        // MHD writes the framing headers itself.
        let framing: Set<String> = ["content-length", "transfer-encoding", "connection"]
        for (name, value) in (reply["headers"]?.object ?? [:]).sorted(by: { $0.key < $1.key })
        where !framing.contains(name.lowercased()) {
            response.headers.append(HTTPHeader(name, value.text))
        }
        return response
    }
}
