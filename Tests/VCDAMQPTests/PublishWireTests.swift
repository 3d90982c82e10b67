import Foundation
import Testing
@testable import VCDAMQP

/// Messages the shim encodes itself (rabbitmq-c's encoders, our framing and sends) arrive byte for byte through
/// the real broker and in order, whether sent one by one or buffered as a batch and flushed at once.
@Suite struct PublishWireTests {
    /// One connection publishing, one consuming a queue bound to a fresh exchange.
    func pair() throws -> (publisher: AMQPConnection, consumer: AMQPConnection, exchange: String) {
        let broker = try PublisherTests.broker()
        let exchange = "vcd-mock-wire-\(UUID().uuidString)"
        let publisher = try AMQPConnection(broker)
        try publisher.declareExchange(exchange, type: "topic")
        let consumer = try AMQPConnection(broker)
        let queue = try consumer.declareQueue("", exclusive: true, autoDelete: true)
        try consumer.bindQueue(queue, exchange: exchange, key: "#")
        try consumer.consume(queue)
        return (publisher, consumer, exchange)
    }

    func deliveries(_ c: AMQPConnection, _ count: Int) -> [(correlationID: String, body: [UInt8])] {
        var got: [(correlationID: String, body: [UInt8])] = []
        let deadline = Date().addingTimeInterval(20)
        while got.count < count, Date() < deadline {
            if case .delivery(let id, let body) = c.nextEvent(timeoutMillis: 200) { got.append((id, body)) }
        }
        return got
    }

    @Test(arguments: [false, true]) func aBatchArrivesWholeAndInOrder(buffered: Bool) throws {
        let (publisher, consumer, exchange) = try pair()
        // Strings of every length class: empty, non-ASCII, long; bodies from empty to larger than a frame
        // (131,072 bytes: split in two body frames) and than the 256 KiB that makes `append` send at once.
        let bodies: [[UInt8]] = (0..<200).map { n in
            n == 0 ? [] : n == 1 ? (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) } : Array("body \(n) ünïcødé".utf8)
        }
        for (n, body) in bodies.enumerated() {
            let message = OutgoingMessage(
                messageID: "id-\(n)", exchange: exchange, routingKey: "wire.\(n)", contentType: "text/plain; charset=utf-8",
                headers: [("k", "v-\(n)"), ("empty", ""), ("ключ", String(repeating: "x", count: n))], body: body,
                correlationID: n % 3 == 0 ? "" : "corr-\(n)-é", replyTo: n % 2 == 0 ? nil : "reply.\(n)")
            if buffered { try publisher.append(message, mandatory: false) } else { try publisher.publish(message, mandatory: false) }
        }
        if buffered { try publisher.flush() }
        let got = deliveries(consumer, bodies.count)
        #expect(got.count == bodies.count)
        for (n, d) in got.enumerated() {
            #expect(d.body == bodies[n], "message \(n): \(d.body.count) bytes, expected \(bodies[n].count)")
            #expect(d.correlationID == (n % 3 == 0 ? "" : "corr-\(n)-é"), "message \(n)")
        }
    }

    @Test func tooManyHeadersAreRefusedWithAReasonNotCut() throws {
        let (publisher, _, exchange) = try pair()
        let headers = (0..<33).map { (key: "h\($0)", value: "v") }
        let message = OutgoingMessage(messageID: "m", exchange: exchange, routingKey: "k", contentType: "text/plain",
                                      headers: headers, body: [1])
        #expect(throws: AMQPConnection.Failure.self) { try publisher.publish(message) }
        do { try publisher.publish(message) } catch { #expect(error.description.contains("33 headers"), "\(error)") }
    }

    @Test func aMessageThatCannotBeEncodedLeavesNothingBehind() throws {
        let (publisher, consumer, exchange) = try pair()
        // Its method frame encodes, its header frame cannot (a short string is at most 255 bytes).
        let tooLong = OutgoingMessage(messageID: "m", exchange: exchange, routingKey: "k",
                                      contentType: String(repeating: "t", count: 256), body: [1])
        #expect(throws: AMQPConnection.Failure.self) { try publisher.append(tooLong) }
        #expect(throws: AMQPConnection.Failure.self) {
            try publisher.append(OutgoingMessage(messageID: "m", exchange: exchange, routingKey: String(repeating: "k", count: 256),
                                                 contentType: "text/plain", body: [1]))
        }
        let next = OutgoingMessage(messageID: "n", exchange: exchange, routingKey: "k", contentType: "text/plain", body: [2],
                                   correlationID: "after")
        try publisher.publish(next, mandatory: false)
        let got = deliveries(consumer, 1)
        #expect(got.count == 1 && got.first?.body == [2] && got.first?.correlationID == "after", "\(got)")
    }
}
