import Foundation
import Testing
import VCDAMQP
import VCDCore
import VCDMock

/// `GET /mock/messages` and `DELETE /mock/messages` (issue 5), against the real broker.
@Suite struct MessageJournalTests {
    /// A notifier on the test broker with exchanges of its own: nothing is bound to them, so every
    /// message comes back `returned`.
    static func brokerNotifier(journalSize: Int = 10_000) throws -> Notifier {
        var settings = AMQPSettings()
        settings.port = try AmqpSettingsTests.brokerPort()
        let unique = "vcdmock-journal-" + UUID().uuidString.prefix(8).lowercased()
        settings.exchange = unique
        settings.prefix = unique
        return Notifier(settings: settings, configured: true, enabled: true, outboxCapacity: 1000,
                        base: "http://127.0.0.1", messageJournalSize: journalSize)
    }

    static func json(_ r: TestClient.Response) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any], "body: \(r.text)")
    }

    @Test func unroutableNotificationsAreJournaledAsReturnedWithTheirTask() throws {
        let notifier = try Self.brokerNotifier()
        defer { notifier.publisher.stop() }
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        let task = try admin.postTask(taskXML())
        #expect(task.status == 200)
        let taskID = lastSegment(try task.xml()["href"])
        let c = server.client()
        // Waits for the publisher's word instead of sleeping.
        let waited = try c.send("GET", "/mock/wait?message=returned&task=\(taskID)&timeout=20")
        #expect(waited.status == 200, "body: \(waited.text)")

        let r = try c.send("GET", "/mock/messages?task=\(taskID)")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/json")
        let body = try Self.json(r)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.count == 2, "XML and JSON notification of the task/create event")
        let exchanges = Set(messages.compactMap { $0["exchange"] as? String })
        #expect(exchanges == [notifier.settings.exchange, notifier.settings.jsonExchange])
        for m in messages {
            #expect(m["taskId"] as? String == taskID)
            #expect(m["eventType"] as? String == EventType.taskCreate)
            #expect(m["bodyEncoding"] as? String == "utf8")
            #expect((m["routingKey"] as? String)?.isEmpty == false)
            #expect((m["headers"] as? [String: String])?.isEmpty == false)
            #expect((m["attempts"] as? Int ?? 0) >= 1)
        }
        let xml = try #require(messages.first { $0["exchange"] as? String == notifier.settings.exchange })
        let xmlBody = try #require(xml["body"] as? String)
        #expect(xmlBody.contains("<vmext:Notification "), "the XML notification itself: \(xmlBody)")
        #expect(xmlBody.contains("type=\"\(EventType.taskCreate)\""), "\(xmlBody)")
        #expect(xmlBody.contains(taskID), "names its task: \(xmlBody)")
        #expect(xml["contentType"] as? String == Notifier.xmlContentType)
        let returned = try Self.json(try c.send("GET", "/mock/messages?task=\(taskID)&status=returned"))
        #expect((returned["messages"] as? [Any])?.isEmpty == false)
        let confirmed = try Self.json(try c.send("GET", "/mock/messages?task=\(taskID)&status=confirmed"))
        #expect((confirmed["messages"] as? [Any])?.isEmpty == true)
    }

    @Test func filtersAndLimitAndClear() throws {
        // Enabled but no broker: every message stays pending, which is all these filters need.
        let notifier = Notifier(settings: AMQPSettings(), configured: false, enabled: true, outboxCapacity: 1000,
                                base: "http://127.0.0.1")
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        for _ in 0..<3 { #expect(try admin.postTask(taskXML()).status == 200) }
        let c = server.client()
        let all = try Self.json(try c.send("GET", "/mock/messages"))
        let messages = try #require(all["messages"] as? [[String: Any]])
        // The sysadmin's login and the three task creations, each to both exchanges.
        #expect(messages.count == 8)
        #expect(messages.allSatisfy { $0["status"] as? String == "pending" })
        #expect(all["kept"] as? Int == 8 && all["dropped"] as? Int == 0 && all["capacity"] as? Int == 10_000)
        let key = try #require(messages.last?["routingKey"] as? String)
        let glob = try Self.json(try c.send("GET", "/mock/messages?routingKey=*" + String(key.suffix(6))))
        #expect((glob["messages"] as? [Any])?.count == 6)
        let none = try Self.json(try c.send("GET", "/mock/messages?routingKey=no-such-key"))
        #expect((none["messages"] as? [Any])?.isEmpty == true)
        let exchange = try Self.json(try c.send("GET", "/mock/messages?exchange=\(notifier.settings.jsonExchange)&limit=2"))
        let limited = try #require(exchange["messages"] as? [[String: Any]])
        #expect(limited.count == 2)
        #expect(limited.allSatisfy { $0["contentType"] as? String == Notifier.jsonContentType })
        let acme = try server.orgID("acme")
        #expect((try Self.json(try c.send("GET", "/mock/messages?org=\(acme)"))["messages"] as? [Any])?.count == 6)
        #expect((try Self.json(try c.send("GET", "/mock/messages?org=System"))["messages"] as? [Any])?.count == 4, "two logins (orgID logs in too)")
        #expect((try Self.json(try c.send("GET", "/mock/messages?org=globex"))["messages"] as? [Any])?.isEmpty == true)
        #expect(try c.send("GET", "/mock/messages?status=lost").status == 400)
        #expect(try c.send("GET", "/mock/messages?limit=-1").status == 400)
        #expect(try c.send("DELETE", "/mock/messages").status == 204)
        #expect((try Self.json(try c.send("GET", "/mock/messages"))["messages"] as? [Any])?.isEmpty == true)
    }

    @Test func theJournalIsBoundedAndCountsWhatItDropped() throws {
        let notifier = Notifier(settings: AMQPSettings(), configured: false, enabled: true, outboxCapacity: 1000,
                                base: "http://127.0.0.1", messageJournalSize: 3)
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        for _ in 0..<4 { #expect(try admin.postTask(taskXML()).status == 200) }
        // Login and four task creations: ten messages.
        let body = try Self.json(try server.client().send("GET", "/mock/messages"))
        #expect((body["messages"] as? [Any])?.count == 3)
        #expect(body["kept"] as? Int == 3 && body["dropped"] as? Int == 7 && body["capacity"] as? Int == 3)
    }

    @Test func aboutNoLongerListsMessagesOrWaitAsMissing() throws {
        let server = try TestServer()
        let body = try Self.json(try server.client().send("GET", "/mock/about"))
        let missing = try #require(body["notImplemented"] as? [String])
        #expect(!missing.contains { $0.contains("/mock/messages") || $0.contains("/mock/wait") })
    }
}
