import VCDAMQP
import VCDCore
import VCDXML
import Synchronization

/// One event's two notifications (XML to the settings' exchange, JSON to `<prefix>.notifications20`), made
/// when the publisher sends them or `GET /mock/messages` shows them. The request that recorded the event
/// pays only for this box; the outbox holds it instead of two rendered bodies. Events are immutable, and
/// the org name and href base are taken when the event is recorded, so every rendering is the same.
final class NotificationSource: MessageSource {
    static let xml = 0
    static let json = 1

    let event: Event
    let orgName: String
    let hrefs: Hrefs
    /// Made when first asked (by the publisher, or a journal filter) and kept: the request that recorded
    /// the event does not pay for it, and `GET /mock/messages` filters do not make it again.
    private let key = Mutex<String?>(nil)

    init(event: Event, orgName: String, hrefs: Hrefs) {
        self.event = event
        self.orgName = orgName
        self.hrefs = hrefs
    }

    var messageID: String { event.id }

    var routingKey: String {
        if let made = key.withLock({ $0 }) { return made }
        let made = NotificationMessage.routingKey(event)
        key.withLock { $0 = made }
        return made
    }

    func routingKey(part: Int) -> String { routingKey }

    func content(part: Int) -> MessageContent {
        // Worked out once, shared by the key, the headers and the body.
        let entity = NotificationSubject(entityOf: event)
        let user = NotificationSubject(event.user)
        let body = part == Self.xml
            ? NotificationDocument.xml(event, entity: entity, user: user, orgName: orgName, hrefs: hrefs)
            : NotificationMessage.json(event, entity: entity, user: user)
        return MessageContent(messageID: event.id, routingKey: routingKey,
                              headers: NotificationMessage.sortedHeaders(event, entity: entity, user: user), body: body)
    }
}
