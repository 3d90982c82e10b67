/// A message waiting in the outbox: persistent, published with mandatory and confirmed by the broker.
public struct OutgoingMessage: Sendable, Equatable {
    /// AMQP message_id: stable across retries so consumers can de-duplicate.
    public var messageID: String
    public var exchange: String
    public var routingKey: String
    public var contentType: String
    public var headers: [(key: String, value: String)]
    public var body: [UInt8]
    public var correlationID: String?
    public var replyTo: String?
    /// The message journal's number for it (0: not journaled): status changes find their entry by it,
    /// without hashing the id and exchange.
    public var serial: UInt64 = 0

    public init(messageID: String, exchange: String, routingKey: String, contentType: String,
                headers: [(key: String, value: String)] = [], body: [UInt8], correlationID: String? = nil, replyTo: String? = nil) {
        self.messageID = messageID
        self.exchange = exchange
        self.routingKey = routingKey
        self.contentType = contentType
        self.headers = headers
        self.body = body
        self.correlationID = correlationID
        self.replyTo = replyTo
    }

    public static func == (a: OutgoingMessage, b: OutgoingMessage) -> Bool {
        a.messageID == b.messageID && a.exchange == b.exchange && a.routingKey == b.routingKey && a.body == b.body
    }
}

/// An exchange the publisher declares on every (re)connect.
public struct ExchangeDeclaration: Sendable, Equatable, Hashable {
    public var name: String
    public var type: String

    public init(_ name: String, type: String = "topic") {
        self.name = name
        self.type = type
    }
}
