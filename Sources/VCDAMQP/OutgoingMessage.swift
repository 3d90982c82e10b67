/// A message waiting in the outbox: persistent, published with mandatory and confirmed by the broker.
/// Its id, routing key, headers and body are either given or made by a `MessageSource` when they are first
/// needed: a notification is rendered by the publisher thread as it sends it, not by the request whose
/// event it reports (and the outbox holds a reference to the event, not two rendered bodies).
public struct OutgoingMessage: Sendable, Equatable {
    public var exchange: String
    public var contentType: String
    public var correlationID: String?
    public var replyTo: String?
    /// The message journal's number for it (0: not journaled): status changes find their entry by it,
    /// without hashing the id and exchange.
    public var serial: UInt64 = 0
    let content: Content

    enum Content: Sendable {
        case given(MessageContent)
        case later(any MessageSource, part: Int)
    }

    public init(messageID: String, exchange: String, routingKey: String, contentType: String,
                headers: [(key: String, value: String)] = [], body: [UInt8], correlationID: String? = nil, replyTo: String? = nil) {
        self.exchange = exchange
        self.contentType = contentType
        self.correlationID = correlationID
        self.replyTo = replyTo
        content = .given(MessageContent(messageID: messageID, routingKey: routingKey, headers: headers, body: body))
    }

    /// A message whose content `source` makes when asked; `part` tells the source which of its messages this is.
    public init(exchange: String, contentType: String, source: any MessageSource, part: Int) {
        self.exchange = exchange
        self.contentType = contentType
        content = .later(source, part: part)
    }

    /// AMQP message_id: stable across retries so consumers can de-duplicate.
    public var messageID: String {
        switch content {
        case .given(let c): c.messageID
        case .later(let s, _): s.messageID
        }
    }

    public var routingKey: String {
        switch content {
        case .given(let c): c.routingKey
        case .later(let s, let part): s.routingKey(part: part)
        }
    }

    public var headers: [(key: String, value: String)] { made().headers }
    public var body: [UInt8] { made().body }

    /// Everything at once: a source works out what its parts share only once.
    public func made() -> MessageContent {
        switch content {
        case .given(let c): c
        case .later(let s, let part): s.content(part: part)
        }
    }

    public static func == (a: OutgoingMessage, b: OutgoingMessage) -> Bool {
        let x = a.made(), y = b.made()
        return x.messageID == y.messageID && a.exchange == b.exchange && x.routingKey == y.routingKey && x.body == y.body
    }
}

/// What a message says, besides where it goes.
public struct MessageContent: Sendable {
    public var messageID: String
    public var routingKey: String
    public var headers: [(key: String, value: String)]
    public var body: [UInt8]

    public init(messageID: String, routingKey: String, headers: [(key: String, value: String)], body: [UInt8]) {
        self.messageID = messageID
        self.routingKey = routingKey
        self.headers = headers
        self.body = body
    }
}

/// Makes the content of one or more messages on demand, from any thread; the same part must always
/// give the same content (a retried message is made again).
public protocol MessageSource: AnyObject, Sendable {
    var messageID: String { get }
    func routingKey(part: Int) -> String
    func content(part: Int) -> MessageContent
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
