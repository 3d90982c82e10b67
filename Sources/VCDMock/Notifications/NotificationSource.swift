import VCDAMQP
import VCDCore
import VCDXML

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
    /// Made at once: `GET /mock/messages` and `/mock/wait` filter the whole journal by it.
    let routingKey: String

    init(event: Event, orgName: String, hrefs: Hrefs) {
        self.event = event
        self.orgName = orgName
        self.hrefs = hrefs
        routingKey = NotificationMessage.routingKey(event)
    }

    var messageID: String { event.id }

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
