import Foundation
import Testing
@testable import VCDAMQP
import VCDCore
@testable import VCDMock

/// Every state of the message journal reached with the real broker (issue 15): confirmed (a queue is bound),
/// nacked (the AMQP nack fault), returned (nothing bound, in MessageJournalTests) and refused (an outbox
/// that stays full longer than the backpressure wait, because no broker drains it). Each is seen in `GET /mock/messages` and through `GET /mock/wait?message=<status>`.
@Suite struct MessageStatesTests {
    typealias JSON = [String: Any]

    static func json(_ r: TestClient.Response) throws -> JSON {
        try #require(JSONSerialization.jsonObject(with: Data(r.body)) as? JSON, "body: \(r.text)")
    }

    static func messages(_ c: TestClient, _ query: String) throws -> [JSON] {
        let r = try c.send("GET", "/mock/messages?" + query)
        #expect(r.status == 200, "\(r.text)")
        return try #require(try json(r)["messages"] as? [JSON])
    }

    /// A notifier on the test broker with exchanges of its own (so tests never see each other's messages).
    static func notifier(outbox: Int = 1000) throws -> Notifier {
        var settings = AMQPSettings()
        settings.port = try AmqpSettingsTests.brokerPort()
        let unique = "vcdmock-states-" + UUID().uuidString.prefix(8).lowercased()
        settings.exchange = unique
        settings.prefix = unique
        return Notifier(settings: settings, configured: true, enabled: true, outboxCapacity: outbox,
                        base: "http://127.0.0.1", messageJournalSize: 10_000)
    }

    /// A queue of our own bound to both notification exchanges, so what the server publishes is routable.
    /// The queue is exclusive: it lives as long as the returned connection.
    static func bindQueue(_ notifier: Notifier) throws -> AMQPConnection {
        let endpoint = try AMQPEndpoint(url: try #require(ProcessInfo.processInfo.environment["VCD_MOCK_TEST_AMQP_URL"]))
        let conn = try AMQPConnection(endpoint)
        let exchanges = [notifier.settings.exchange, notifier.settings.jsonExchange]
        // The publisher declares its exchanges when it connects (the sysadmin's login made it publish).
        try waitUntil("the server declared \(exchanges)") { try exchanges.allSatisfy { try conn.exchangeExists($0) } }
        let queue = try conn.declareQueue("", exclusive: true, autoDelete: true)
        for e in exchanges { try conn.bindQueue(queue, exchange: e, key: "#") }
        return conn
    }

    /// The publisher has nothing queued, in flight or waiting for a retry.
    static func settled(_ notifier: Notifier) throws {
        try waitUntil("the outbox is empty") { notifier.publisher.stats.outboxDepth == 0 }
    }

    @Test func routedNotificationsAreConfirmed() throws {
        let notifier = try Self.notifier()
        defer { notifier.publisher.stop() }
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        let queue = try Self.bindQueue(notifier)
        _ = queue
        let taskID = lastSegment(try admin.postTask(taskXML()).xml()["href"])
        let c = server.client()
        let waited = try c.send("GET", "/mock/wait?message=confirmed&task=\(taskID)&timeout=20")
        #expect(waited.status == 200, "\(waited.text)")
        #expect((try Self.json(waited)["message"] as? JSON)?["status"] as? String == "confirmed")
        try waitUntil("both notifications of the task confirmed") {
            try Self.messages(c, "task=\(taskID)&status=confirmed").count == 2
        }
        let all = try Self.messages(c, "task=\(taskID)")
        #expect(all.count == 2)
        #expect(all.allSatisfy { $0["status"] as? String == "confirmed" && $0["attempts"] as? Int == 1 }, "\(all)")
        #expect(try Self.messages(c, "task=\(taskID)&status=returned").isEmpty)
        let stats = try Self.json(try c.send("GET", "/mock/amqp"))
        #expect((stats["confirmed"] as? Int ?? 0) >= 2, "GET /mock/amqp counts the confirms: \(stats)")
    }

    @Test func aNackFaultIsJournaledAsNackedThenRetriedToConfirmed() throws {
        let notifier = try Self.notifier()
        defer { notifier.publisher.stop() }
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        let queue = try Self.bindQueue(notifier)
        _ = queue
        try Self.settled(notifier)
        let c = server.client()
        // Every hit of this rule turns the next broker ack into a nack; four hits, so the task's two messages
        // are nacked (and retried, with backoff) long enough to be seen in the journal.
        let rule = try c.send("POST", "/mock/faults", headers: ["Content-Type": "application/json"],
                              body: Array(#"{"method": "GET", "pathPattern": "/api/versions", "amqp": "nack"}"#.utf8))
        #expect(rule.status == 201, "\(rule.text)")
        // A waiter registered before anything is nacked: it sees the state however briefly it lasts.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var waited: TestClient.Response?
        let waiter = server.client()
        Thread.detachNewThread {
            waited = try? waiter.send("GET", "/mock/wait?message=nacked&exchange=\(notifier.settings.exchange)&timeout=30")
            done.signal()
        }
        try waitUntil("the waiter is registered") { server.app.waiters.count == 1 }
        for _ in 0..<4 { #expect(try c.send("GET", "/api/versions").status == 200) }
        let taskID = lastSegment(try admin.postTask(taskXML()).xml()["href"])

        #expect(done.wait(timeout: .now() + 30) == .success)
        let view = try #require(waited)
        #expect(view.status == 200, "\(view.text)")
        let hit = try #require(try Self.json(view)["message"] as? JSON)
        #expect(hit["status"] as? String == "nacked" && hit["taskId"] as? String == taskID, "\(hit)")
        try waitUntil("a nacked message of the task in /mock/messages") {
            try !Self.messages(c, "task=\(taskID)&status=nacked").isEmpty
        }
        #expect(try c.send("GET", "/mock/wait?message=nacked&task=\(taskID)&timeout=1").status == 200)
        // Retried until the broker's ack counts: confirmed in the end, after more than one attempt.
        try waitUntil("both notifications of the task confirmed") {
            try Self.messages(c, "task=\(taskID)&status=confirmed").count == 2
        }
        let all = try Self.messages(c, "task=\(taskID)")
        #expect(all.contains { ($0["attempts"] as? Int ?? 0) > 1 }, "a nacked message was sent again: \(all)")
        #expect(notifier.publisher.stats.nacked >= 1)
    }

    @Test func anOutboxThatStaysFullRefusesThenAnswers503() throws {
        // No broker listens (port 1), so nothing leaves the outbox of three. The login's two messages fit;
        // the task's request passes the gate (one place left), its first message fits, and its second
        // waits `outboxWait` for room, then is refused: the only way a promised message is refused.
        var settings = AMQPSettings()
        settings.port = 1
        let notifier = Notifier(settings: settings, configured: true, enabled: true, outboxCapacity: 3,
                                base: "http://127.0.0.1", outboxWait: 0.3)
        defer { notifier.publisher.stop() }
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        let taskID = lastSegment(try admin.postTask(taskXML()).xml()["href"])
        let c = server.client()
        let waited = try c.send("GET", "/mock/wait?message=refused&task=\(taskID)&timeout=20")
        #expect(waited.status == 200, "\(waited.text)")
        #expect((try Self.json(waited)["message"] as? JSON)?["status"] as? String == "refused")
        let refused = try Self.messages(c, "task=\(taskID)&status=refused")
        #expect(refused.count == 1, "one of the two is refused: \(refused)")
        #expect(refused.first?["attempts"] as? Int == 0, "a refused message is never sent")
        #expect(notifier.publisher.stats.refused == 1, "only the message that found no room in time")
        // The outbox is now full: the next request that would notify waits, then is turned away unchanged.
        let before = try Self.messages(c, "").count
        let turnedAway = try admin.postTask(taskXML())
        try expectVCDError(turnedAway, 503, "SERVICE_UNAVAILABLE")
        #expect(turnedAway.text.contains("--outbox-size"), "\(turnedAway.text)")
        #expect(try Self.messages(c, "").count == before, "a refused request promises no notification")
        #expect(notifier.publisher.stats.refused == 1)
    }
}
