import Foundation
import Testing
@testable import VCDAMQP
import VCDCore
@testable import VCDMock

/// A request that waits for outbox room holds no worker thread (issue 11): with one libmicrohttpd thread,
/// other requests are answered while POSTs wait; the waiting ones finish once the broker makes room, or
/// get 503 at the deadline.
@Suite struct BackpressureWaitTests {
    /// A notifier whose broker does not answer (port 1): nothing leaves the outbox of two, which the
    /// sysadmin's login (two messages) fills. Exchanges of its own, as in MessageStatesTests.
    static func stalledNotifier(wait: Double) -> Notifier {
        var settings = AMQPSettings()
        settings.port = 1
        let unique = "vcdmock-wait-" + UUID().uuidString.prefix(8).lowercased()
        settings.exchange = unique
        settings.prefix = unique
        return Notifier(settings: settings, configured: true, enabled: true, outboxCapacity: 2,
                        base: "http://127.0.0.1", outboxWait: wait)
    }

    /// POSTs a task on a thread of its own; the response arrives in `result`.
    static func postInBackground(_ c: TestClient, _ result: Locked<[TestClient.Response]>, _ errors: Locked<[String]>) {
        Thread.detachNewThread {
            do {
                let r = try c.postTask(taskXML())
                result.withLock { $0.append(r) }
            } catch {
                errors.withLock { $0.append("\(error)") }
            }
        }
    }

    /// Whatever happened in the test: stopping the publisher answers requests still waiting, and the
    /// server outlives their answers (libmicrohttpd aborts when stopped with suspended connections).
    static func tearDown(_ notifier: Notifier, _ server: TestServer, answered: () -> Int, expected: Int) {
        notifier.publisher.stop()
        try? waitUntil("every waiting request answered before the server stops") { answered() >= expected }
        withExtendedLifetime(server) {}
    }

    @Test func waitingRequestsHoldNoWorkerAndFinishWhenTheBrokerMakesRoom() throws {
        let notifier = Self.stalledNotifier(wait: 30)
        let server = try TestServer(notifier: notifier, threads: 1)
        let done = Locked<[TestClient.Response]>([])
        let errors = Locked<[String]>([])
        defer { Self.tearDown(notifier, server, answered: { done.withLock { $0.count } + errors.withLock { $0.count } }, expected: 3) }
        let admin = try server.sysadmin()
        try waitUntil("the login's messages fill the outbox") { notifier.publisher.stats.outboxDepth == 2 }
        let posters = (0..<3).map { _ in
            let c = server.client()
            c.token = admin.token
            return c
        }
        for c in posters { Self.postInBackground(c, done, errors) }
        try waitUntil("three POSTs wait for room") { notifier.publisher.roomWaiting == 3 }
        // The only worker thread is free: a GET is answered at once while the POSTs wait.
        let started = Date()
        let versions = try server.client().send("GET", "/api/versions")
        #expect(versions.status == 200)
        #expect(Date().timeIntervalSince(started) < 2, "GET /api/versions took \(Date().timeIntervalSince(started)) s")
        #expect(done.withLock { $0.isEmpty }, "the POSTs still wait")
        // A real broker with a bound queue: the login's messages are confirmed, room appears, the POSTs go on.
        var settings = notifier.settings
        settings.port = try AmqpSettingsTests.brokerPort()
        notifier.update(settings)
        let queue = try MessageStatesTests.bindQueue(notifier)
        _ = queue
        try waitUntil("the waiting POSTs are answered") { done.withLock { $0.count } + errors.withLock { $0.count } == 3 }
        #expect(errors.withLock { $0 }.isEmpty, "\(errors.withLock { $0 })")
        #expect(done.withLock { $0.map(\.status) } == [200, 200, 200], "\(done.withLock { $0.map(\.text) })")
        try MessageStatesTests.settled(notifier)
        #expect(notifier.publisher.stats.refused == 0)
        #expect(notifier.publisher.roomWaiting == 0)
    }

    @Test func aRequestStillWaitingAtTheDeadlineGets503AndTheWorkerStaysFree() throws {
        let wait = 3.0
        let notifier = Self.stalledNotifier(wait: wait)
        let server = try TestServer(notifier: notifier, threads: 1)
        let done = Locked<[TestClient.Response]>([])
        let errors = Locked<[String]>([])
        defer { Self.tearDown(notifier, server, answered: { done.withLock { $0.count } + errors.withLock { $0.count } }, expected: 1) }
        let admin = try server.sysadmin()
        try waitUntil("the login's messages fill the outbox") { notifier.publisher.stats.outboxDepth == 2 }
        let before = try MessageStatesTests.messages(server.client(), "").count
        let started = Date()
        Self.postInBackground(admin, done, errors)
        try waitUntil("the POST waits for room") { notifier.publisher.roomWaiting == 1 }
        let versions = try server.client().send("GET", "/api/versions")
        #expect(versions.status == 200)
        // Well before the deadline: the waiting POST did not hold the only worker thread.
        #expect(Date().timeIntervalSince(started) < wait - 1, "GET answered \(Date().timeIntervalSince(started)) s after the POST")
        #expect(done.withLock { $0.isEmpty }, "answered before the deadline")
        try waitUntil("the POST is answered") { done.withLock { $0.count } + errors.withLock { $0.count } == 1 }
        #expect(Date().timeIntervalSince(started) >= wait - 0.1, "refused only at the deadline")
        #expect(errors.withLock { $0 }.isEmpty, "\(errors.withLock { $0 })")
        let r = try #require(done.withLock { $0.first })
        try expectVCDError(r, 503, "SERVICE_UNAVAILABLE")
        #expect(r.text.contains("--outbox-size 2"), "\(r.text)")
        #expect(try MessageStatesTests.messages(server.client(), "").count == before, "a refused request promises nothing")
        #expect(notifier.publisher.stats.refused == 0)
        #expect(notifier.publisher.roomWaiting == 0)
    }
}
