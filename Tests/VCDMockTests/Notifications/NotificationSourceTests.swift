import Testing
import VCDAMQP
import VCDCore
import VCDFixtures
@testable import VCDMock
import VCDXML

/// Notifications are made by the publisher thread when it sends them, not by the request: what it makes
/// must be what the request would have made, every time, with the org name as it was when the event happened.
@Suite struct NotificationSourceTests {
    /// A notifier whose broker (port 1) never answers: messages stay in the outbox and the journal.
    static func notifier() -> Notifier {
        var settings = AMQPSettings()
        settings.port = 1
        return Notifier(settings: settings, configured: true, enabled: true, outboxCapacity: 100, base: "http://127.0.0.1:8080")
    }

    static let org = "a93c9db9-7471-3192-8d09-a8f7eeda85f9"

    static func taskEvent(_ id: String) -> Event {
        Event(id: id, type: EventType.taskCreate, timestamp: Timestamp(milliseconds: 1_700_000_000_000), orgID: org,
              user: .user(id: "0e1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8", name: "ann"),
              entity: .task(id: "3e5c2e3c-1b2a-4d3e-9f00-0123456789ab", name: "backup"))
    }

    @Test func madeLaterIsWhatTheEventSaysInBothFormats() throws {
        let notifier = Self.notifier()
        defer { notifier.publisher.stop() }
        notifier.setOrgNames([Org(id: Self.org, name: "acme")])
        let e = Self.taskEvent("5f6e7d8c-0000-4000-8000-000000000001")
        notifier.recorded([e])
        let entries = notifier.messages.snapshot().entries
        #expect(entries.count == 2)
        let xml = try #require(entries.first { $0.message.contentType == Notifier.xmlContentType }).message
        let json = try #require(entries.first { $0.message.contentType == Notifier.jsonContentType }).message
        let entity = NotificationSubject(entityOf: e), user = NotificationSubject(e.user)
        #expect(xml.body == NotificationDocument.xml(e, entity: entity, user: user, orgName: "acme", hrefs: Hrefs(base: "http://127.0.0.1:8080")))
        #expect(json.body == NotificationMessage.json(e))
        for m in [xml, json] {
            #expect(m.messageID == e.id)
            #expect(m.routingKey == NotificationMessage.routingKey(e))
            #expect(m.made().routingKey == m.routingKey)
            #expect(Dictionary(uniqueKeysWithValues: m.headers) == NotificationMessage.headers(e))
            #expect(m.made().body == m.made().body, "made again (a retry) it is the same")
        }
    }

    @Test func theOrgNameIsTheOneWhenTheEventWasRecorded() throws {
        let notifier = Self.notifier()
        defer { notifier.publisher.stop() }
        notifier.setOrgNames([Org(id: Self.org, name: "acme")])
        notifier.recorded([Self.taskEvent("5f6e7d8c-0000-4000-8000-000000000002")])
        // The org is renamed before the first message is sent.
        notifier.recorded([Event(id: "5f6e7d8c-0000-4000-8000-000000000003", type: "com/vmware/vcloud/event/org/modify",
                                 timestamp: Timestamp(milliseconds: 1_700_000_001_000), orgID: Self.org,
                                 user: .user(id: "0e1a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8", name: "ann"),
                                 entity: .org(id: Self.org, name: "renamed"))])
        let entries = notifier.messages.snapshot().entries
        let first = try #require(entries.first { $0.message.contentType == Notifier.xmlContentType })
        let body = String(decoding: first.message.body, as: UTF8.self)
        #expect(body.contains("name=\"acme\""), "\(body)")
        #expect(!body.contains("renamed"), "\(body)")
        #expect(first.orgName == "acme")
        let last = try #require(entries.last { $0.message.contentType == Notifier.xmlContentType })
        #expect(String(decoding: last.message.body, as: UTF8.self).contains("renamed"))
    }

    /// The notifier keeps what messages need from its settings between events; every change is seen by the next one.
    @Test func theNextEventFollowsEverySettingsChange() throws {
        let notifier = Self.notifier()
        defer { notifier.publisher.stop() }
        var n = 10
        func record() -> [MessageEntry] {
            let before = notifier.messages.snapshot().entries.count
            n += 1
            notifier.recorded([Self.taskEvent("5f6e7d8c-0000-4000-8000-0000000000\(n)")])
            return Array(notifier.messages.snapshot().entries.dropFirst(before))
        }
        #expect(Set(record().map(\.message.exchange)) == [notifier.settings.exchange, notifier.settings.jsonExchange])
        var settings = notifier.settings
        settings.exchange = "other"
        settings.prefix = "elsewhere"
        notifier.update(settings)
        #expect(Set(record().map(\.message.exchange)) == ["other", "elsewhere.notifications20"])
        notifier.setBase("http://moved.example:9")
        let xml = try #require(record().first { $0.message.contentType == Notifier.xmlContentType })
        #expect(String(decoding: xml.message.body, as: UTF8.self).contains("http://moved.example:9/api/"))
        notifier.setEnabled(false)
        #expect(record().isEmpty, "notifications off: no message")
        notifier.apply(FixtureSettings(amqp: settings, configured: true, notifications: true))
        #expect(record().count == 2, "back on through a state's settings")
    }
}
