import Foundation
import Testing
import VCDAMQP

/// Against the real broker that `make test` starts (VCD_MOCK_TEST_AMQP_URL); fails, never skips, without it.
@Suite struct PublisherTests {
    static func broker() throws -> AMQPEndpoint {
        guard let url = ProcessInfo.processInfo.environment["VCD_MOCK_TEST_AMQP_URL"] else {
            throw Missing(description: "VCD_MOCK_TEST_AMQP_URL is not set: run the tests with `make test`, which starts RabbitMQ")
        }
        return try AMQPEndpoint(url: url)
    }

    struct Missing: Error, CustomStringConvertible { let description: String }

    func message(_ n: Int, exchange: String) -> OutgoingMessage {
        OutgoingMessage(messageID: "m-\(n)-\(UUID().uuidString)", exchange: exchange, routingKey: "test.\(n)",
                        contentType: "text/plain", headers: [("k", "v")], body: Array("body \(n)".utf8))
    }

    func waitFor(_ timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    @Test func probeAcceptsTheBrokerAndNamesWhatIsWrongOtherwise() throws {
        let broker = try Self.broker()
        #expect(AMQPProbe.check(broker) == nil)
        var wrong = broker
        wrong.port = 1
        let problem = try #require(AMQPProbe.check(wrong, timeoutMillis: 1000))
        #expect(problem.contains("cannot connect"), "\(problem)")
        wrong = broker
        wrong.password = "not-the-password"
        #expect(AMQPProbe.check(wrong) != nil, "a wrong password is refused")
    }

    @Test func unroutableMessagesAreCountedAsReturnedAndKeptForRetry() throws {
        let exchange = "vcd-mock-test-\(UUID().uuidString)"
        let p = Publisher(endpoint: try Self.broker(), exchanges: [ExchangeDeclaration(exchange)], capacity: 100)
        defer { p.stop() }
        #expect(p.enqueue((0..<3).map { message($0, exchange: exchange) }) == 3)
        #expect(waitFor(10) { p.stats.returned >= 3 }, "\(p.stats)")
        let s = p.stats
        #expect(s.connected)
        #expect(s.confirmed == 0, "a returned message is not confirmed")
        #expect(s.outboxDepth == 3, "returned messages stay in the outbox")
    }

    @Test func aFullOutboxRefusesLoudlyAndCounts() {
        let p = Publisher(endpoint: nil, exchanges: [], capacity: 5)
        defer { p.stop() }
        #expect(p.enqueue((0..<8).map { message($0, exchange: "x") }) == 5)
        #expect(p.stats.refused == 3)
        #expect(p.stats.outboxDepth == 5)
    }

    @Test func aWrongPortKeepsMessagesAndReconfiguringDeliversThem() throws {
        let broker = try Self.broker()
        var wrong = broker
        wrong.port = 1
        let exchange = "vcd-mock-test-\(UUID().uuidString)"
        let p = Publisher(endpoint: wrong, exchanges: [ExchangeDeclaration(exchange)], capacity: 100)
        defer { p.stop() }
        p.enqueue([message(1, exchange: exchange)])
        #expect(waitFor(5) { p.stats.lastError != nil })
        #expect(!p.stats.connected)
        #expect(p.stats.outboxDepth == 1)
        p.reconfigure(endpoint: broker, exchanges: [ExchangeDeclaration(exchange)])
        // No queue is bound, so the broker returns it: proof that it was really published there.
        #expect(waitFor(10) { p.stats.returned >= 1 }, "\(p.stats)")
        #expect(p.stats.connected)
    }
}
