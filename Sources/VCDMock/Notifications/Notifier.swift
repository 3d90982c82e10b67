import VCDAMQP
import VCDCore
import VCDXML

/// Turns recorded events into vCD notifications (§6.3) and hands them to the AMQP publisher:
/// the XML body to the settings' exchange, the JSON body to `<prefix>.notifications20`.
public final class Notifier: EventSink, Sendable {
    struct State: Sendable {
        var settings: AMQPSettings { didSet { outline = nil } }
        var enabled: Bool { didSet { outline = nil } }
        /// The broker is used only once a URL was given or the settings were PUT.
        var configured: Bool { didSet { outline = nil } }
        var base: String { didSet { outline = nil } }
        var orgNames: [String: String] = [:]
        /// Settings, switch and configured flag at start: what `POST /mock/reset` goes back to.
        var start: FixtureStart?
        /// Made from the fields above when first needed after they change.
        var outline: Outline?

        init(settings: AMQPSettings, enabled: Bool, configured: Bool, base: String) {
            self.settings = settings
            self.enabled = enabled
            self.configured = configured
            self.base = base
        }
    }

    /// What an event's messages need from the settings, shared until they change: a request takes one
    /// reference under the lock, not copies of five strings (each a retain and a release).
    final class Outline: Sendable {
        let enabled: Bool
        let configured: Bool
        let hrefs: Hrefs
        let exchange: String
        let jsonExchange: String

        init(_ s: State) {
            enabled = s.enabled
            configured = s.configured
            hrefs = Hrefs(base: s.base)
            exchange = s.settings.exchange
            jsonExchange = s.settings.jsonExchange
        }
    }

    public let publisher: Publisher
    /// `GET /mock/messages`: what was enqueued, with the publisher's latest word on each.
    public let messages: MessageJournal
    let state: Locked<State>

    public static let xmlContentType = "application/vnd.vmware.vcloud.notification+xml"
    public static let jsonContentType = "application/json"

    public init(settings: AMQPSettings, configured: Bool, enabled: Bool, outboxCapacity: Int, base: String,
                messageJournalSize: Int = 10_000, outboxWait: Double = 5, log: @escaping @Sendable (String) -> Void = { _ in }) {
        state = Locked(State(settings: settings, enabled: enabled, configured: configured, base: base))
        state.withLock { $0.start = FixtureStart(settings: settings, enabled: enabled, configured: configured) }
        let messages = MessageJournal(capacity: messageJournalSize)
        self.messages = messages
        publisher = Publisher(endpoint: configured ? Self.endpoint(settings) : nil, exchanges: Self.exchanges(settings),
                              capacity: outboxCapacity, roomWait: outboxWait, log: log, onStatus: { messages.update($0) })
    }

    public static func endpoint(_ s: AMQPSettings) -> AMQPEndpoint {
        AMQPEndpoint(host: s.host, port: s.port, vhost: s.vhost, username: s.username, password: s.password)
    }

    static func exchanges(_ s: AMQPSettings) -> [ExchangeDeclaration] {
        [ExchangeDeclaration(s.exchange), ExchangeDeclaration(s.jsonExchange)]
    }

    public var settings: AMQPSettings { state.withLock { $0.settings } }
    public var enabled: Bool { state.withLock { $0.enabled } }
    /// Whether a broker was given (URL or settings PUT).
    public var configured: Bool { state.withLock { $0.configured } }

    /// Org names for notification bodies (orgs are fixed while the server runs).
    public func setOrgNames(_ orgs: [Org]) {
        state.withLock { s in s.orgNames = Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }) }
    }

    /// The base URL of hrefs inside notification bodies (known once the server listens).
    public func setBase(_ base: String) { state.withLock { $0.base = base } }

    /// New broker settings: the publisher reconnects; queued messages are kept.
    public func update(_ settings: AMQPSettings) {
        state.withLock { s in
            s.settings = settings
            s.configured = true
        }
        publisher.reconfigure(endpoint: Self.endpoint(settings), exchanges: Self.exchanges(settings))
    }

    /// Whether events become messages for a broker (notifications on and a broker given).
    public var publishes: Bool { state.withLock { $0.enabled && $0.configured } }

    public func setEnabled(_ enabled: Bool) { state.withLock { $0.enabled = enabled } }

    public func recorded(_ events: [Event]) {
        // With a broker, blocking-task messages go out even with notifications off: an extension's approval
        // depends on them (vapps reference §8.3; vCD documents only the optional notifications as switchable).
        let blocking: (Outline, Event) -> Bool = { o, e in o.configured && e.type.hasPrefix(EventType.blockingTaskPrefix) }
        let (o, names) = state.withLock { s -> (Outline, [String]?) in
            // Orgs created or renamed at run time: their events name them from here on.
            for e in events { if let org = e.orgEntity { s.orgNames[org.id] = org.name } }
            let o = s.outline ?? Outline(s)
            s.outline = o
            // Nothing to send (notifications off, the default without a broker): no names looked up.
            guard o.enabled || events.contains(where: { blocking(o, $0) }) else { return (o, nil) }
            return (o, events.map { s.orgNames[$0.orgID] ?? $0.orgID })
        }
        guard let orgNames = names else { return }
        var messages: [OutgoingMessage] = []
        messages.reserveCapacity(events.count * 2)
        var journal: [MessageEntry] = []
        journal.reserveCapacity(events.count * 2)
        for (e, orgName) in zip(events, orgNames) where o.enabled || blocking(o, e) {
            // Rendered later, by the publisher thread (NotificationSource): the request pays for one box.
            let source = NotificationSource(event: e, orgName: orgName, hrefs: o.hrefs)
            let xml = OutgoingMessage(exchange: o.exchange, contentType: Self.xmlContentType, source: source, part: NotificationSource.xml)
            let json = OutgoingMessage(exchange: o.jsonExchange, contentType: Self.jsonContentType, source: source, part: NotificationSource.json)
            messages.append(xml)
            messages.append(json)
            journal.append(MessageEntry(message: xml, event: e, orgName: orgName))
            journal.append(MessageEntry(message: json, event: e, orgName: orgName))
        }
        let first = self.messages.record(journal)
        for i in messages.indices { messages[i].serial = first + UInt64(i) }
        publisher.enqueue(messages)
    }
}
