import VCDCore

/// What the publisher has done so far; nothing it refused or retried is hidden.
public struct PublisherStats: Sendable, Codable, Equatable {
    public var connected = false
    /// Every key is written, nil ones as null: consumers of /mock/amqp should not have to guess.
    @NullIfNil public var endpoint: String?
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
    @NullIfNil public var lastError: String?

    public init() {}
}
