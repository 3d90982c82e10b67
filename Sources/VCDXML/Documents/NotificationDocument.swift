import VCDCore

/// The XML body of an AMQP notification message (reference §6.3); the rest of the message (JSON body,
/// routing key, headers) is built in VCDMock/Notifications/NotificationMessage.swift.
public enum NotificationDocument {
    /// `vmext:Notification`, published to the settings' `AmqpExchange`.
    public static func xml(_ e: Event, orgName: String, hrefs: Hrefs) -> [UInt8] {
        xml(e, entity: NotificationSubject(entityOf: e), user: NotificationSubject(e.user), orgName: orgName, hrefs: hrefs)
    }

    /// With the subjects the caller already worked out for the routing key, headers and JSON body.
    /// Written on an `XMLOutput`, URNs and `vcloud:` types in parts (no joined strings per link).
    public static func xml(_ e: Event, entity: NotificationSubject, user: NotificationSubject, orgName: String,
                           hrefs: Hrefs) -> [UInt8] {
        var w = XMLOutput(capacity: 1536)
        w.start("vmext:Notification")
        w.attribute("xmlns:vmext", Namespace.vmext)
        w.attribute("xmlns:vcloud", Namespace.vcloud)
        w.attribute("type", e.type)
        w.attribute("eventId") { $0.id(e.compactID) }
        w.start("vcloud:Link")
        w.attribute("rel", "entityResolver")
        w.attribute("href") { $0.href(hrefs, "entity/", "") }
        w.end()
        entityLink(&w, "entity", entity)
        entityLink(&w, "down", user)
        entityLink(&w, "up", NotificationSubject(kind: "org", id: e.orgID, name: orgName))
        if entity.isTask {
            entityLink(&w, "task", entity)
            entityLink(&w, "task:owner", NotificationSubject.taskOwner(e, orgName: orgName))
        } else if let task = e.task {  // a blocking task's event names the blocked task and its object (§8.3)
            entityLink(&w, "task", NotificationSubject(task))
            entityLink(&w, "task:owner", NotificationSubject.taskOwner(e, orgName: orgName))
        }
        w.element("vmext:Timestamp", time: e.timestamp)
        w.element("vmext:OperationSuccess", e.success ? "true" : "false")
        w.end()
        return w.finish()
    }

    private static func entityLink(_ w: inout XMLOutput, _ rel: StaticString, _ s: NotificationSubject) {
        w.start("vcloud:EntityLink")
        w.attribute("rel") { $0.raw(rel) }
        w.attribute("type") { $0.raw("vcloud:"); $0.value(s.kind) }
        w.attribute("name", s.name)
        w.attribute("id") { $0.raw("urn:vcloud:"); $0.value(s.kind); $0.raw(":"); $0.value(s.id) }
        w.end()
    }
}
