/// What the publisher has done so far; nothing it refused or retried is hidden.
public struct PublisherStats: Sendable, Codable, Equatable {
    public var connected = false
    public var endpoint: String?
    /// Queued, waiting for a retry, or published and not yet confirmed.
    public var outboxDepth = 0
    public var outboxCapacity = 0
    public var unconfirmed = 0
    public var published = 0
    public var confirmed = 0
    /// basic.return for a mandatory message nobody's queue took; the message is retried.
    public var returned = 0
    public var nacked = 0
    /// Refused at enqueue because the outbox was full.
    public var refused = 0
    public var reconnects = 0
    public var lastError: String?

    public init() {}

    /// Every key, nil ones as null: consumers of /mock/amqp should not have to guess.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(connected, forKey: .connected)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(outboxDepth, forKey: .outboxDepth)
        try c.encode(outboxCapacity, forKey: .outboxCapacity)
        try c.encode(unconfirmed, forKey: .unconfirmed)
        try c.encode(published, forKey: .published)
        try c.encode(confirmed, forKey: .confirmed)
        try c.encode(returned, forKey: .returned)
        try c.encode(nacked, forKey: .nacked)
        try c.encode(refused, forKey: .refused)
        try c.encode(reconnects, forKey: .reconnects)
        try c.encode(lastError, forKey: .lastError)
    }
}
