import Foundation
import Testing
@testable import VCDAMQP
import VCDCore
@testable import VCDMock

/// Goal 3 of issue 11: under load a full outbox slows requests down instead of dropping notifications.
/// Holds at any speed: many concurrent POSTs through an outbox of four, a consumer that reads only at the
/// end, and still every task has both notifications confirmed and delivered, and nothing is refused.
@Suite struct BackpressureTests {
    @Test func aFloodThroughATinyOutboxLosesNothing() throws {
        let notifier = try MessageStatesTests.notifier(outbox: 4)
        defer { notifier.publisher.stop() }
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        let queue = try MessageStatesTests.bindQueue(notifier)
        let queueName = try queue.declareQueue("", exclusive: true, autoDelete: true)
        for e in [notifier.settings.exchange, notifier.settings.jsonExchange] {
            try queue.bindQueue(queueName, exchange: e, key: "#")
        }
        _ = admin
        let clients = 4, perClient = 50
        let ids = Locked<[String]>([])
        let failures = Locked<[String]>([])
        let posters = try (0..<clients).map { _ in try server.sysadmin() }
        DispatchQueue.concurrentPerform(iterations: clients) { i in
            for _ in 0..<perClient {
                do {
                    let r = try posters[i].postTask(taskXML())
                    if r.status != 200 { failures.withLock { $0.append("\(r.status) \(r.text)") }; continue }
                    let id = lastSegment(try r.xml()["href"])
                    ids.withLock { $0.append(id) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(3) })")
        let taskIDs = ids.withLock { $0 }
        #expect(taskIDs.count == clients * perClient)
        try MessageStatesTests.settled(notifier)
        #expect(notifier.publisher.stats.refused == 0)
        let c = server.client()
        for id in taskIDs {
            let confirmed = try MessageStatesTests.messages(c, "task=\(id)&status=confirmed")
            #expect(confirmed.count == 2, "task \(id): \(confirmed)")
        }
        // The slow consumer reads now: both notifications (XML and JSON) of every task reached the broker.
        try queue.consume(queueName)
        var seen: [String: Int] = [:]
        let deadline = Date().addingTimeInterval(30)
        while seen.values.reduce(0, +) < 2 * taskIDs.count, Date() < deadline {
            if case .delivery(_, let body) = queue.nextEvent(timeoutMillis: 200) {
                let text = String(decoding: body, as: UTF8.self)
                if let id = taskIDs.first(where: { text.contains($0) }) { seen[id, default: 0] += 1 }
            }
        }
        #expect(taskIDs.allSatisfy { seen[$0] == 2 }, "tasks without both notifications: \(taskIDs.filter { seen[$0] != 2 }.prefix(5))")
    }
}
