import Foundation
import Testing
@testable import VCDAMQP
import VCDCore
@testable import VCDMock
import VCDXML

/// `blockingtask/create` reaches the real broker with its routing key, headers and links (vapps reference §8.3),
/// and `/mock/messages` shows it.
@Suite struct BlockingTaskNotificationsTests {
    @Test func blockingTaskCreateIsPublishedAndJournaled() throws {
        let notifier = try MessageStatesTests.notifier()
        defer { notifier.publisher.stop() }
        let server = try TestServer(clock: ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z")), notifier: notifier)
        let admin = try server.sysadmin()
        // Only the blocking-task messages of instantiations: the binding checks the routing key itself.
        let conn = try MessageStatesTests.bindQueue(notifier)
        let queue = try conn.declareQueue("", exclusive: true, autoDelete: true)
        for e in [notifier.settings.exchange, notifier.settings.jsonExchange] {
            try conn.bindQueue(queue, exchange: e, key: "true.*.*.*.com.vmware.vcloud.event.blockingtask.create.vdcInstantiateVapp")
        }
        try conn.consume(queue)
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let alice = try server.alice()
        let taskHref = try #require(try taskOf(try server.instantiateAsAlice(alice, "web"))["href"])
        let taskID = lastSegment(taskHref)
        let b = try server.blockingTask(for: taskHref, admin)
        let id = lastSegment(b["href"])

        var bodies: [String] = []
        let deadline = Date().addingTimeInterval(20)
        while bodies.count < 2, Date() < deadline {
            if case .delivery(_, let body) = conn.nextEvent(timeoutMillis: 200) { bodies.append(String(decoding: body, as: UTF8.self)) }
        }
        #expect(bodies.count == 2, "XML and JSON notification of blockingtask/create: \(bodies)")
        let xml = try #require(bodies.first { $0.hasPrefix("<") })
        let doc = try XMLReader.parse(Array(xml.utf8), maxBytes: 1 << 20)
        #expect(doc["type"] == "com/vmware/vcloud/event/blockingtask/create")
        let links = Dictionary(doc.children("EntityLink").map { ($0["rel"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(links["entity"]?["id"] == "urn:vcloud:blockingTask:\(id)" && links["entity"]?["type"] == "vcloud:blockingTask")
        #expect(links["entity"]?["name"] == "vdcInstantiateVapp")
        #expect(links["task"]?["id"] == "urn:vcloud:task:\(taskID)" && links["task:owner"]?["type"] == "vcloud:vapp")
        let json = try #require(bodies.first { $0.hasPrefix("{") })
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(fields["entity"] as? String == "urn:vcloud:blockingTask:\(id)" && fields["task"] as? String == "urn:vcloud:task:\(taskID)")

        // The journal has both, with the routing key and headers vCD sets.
        let messages = try MessageStatesTests.messages(server.client(), "task=\(taskID)&routingKey=.blockingtask.create.")
        #expect(messages.count == 2, "\(messages)")
        for m in messages {
            #expect((m["routingKey"] as? String)?.hasPrefix("true.\(id).") == true)
            let headers = m["headers"] as? [String: String]
            #expect(headers?["notification.entityType"] == "blockingTask" && headers?["notification.entityUUID"] == id)
        }
    }

    /// With a broker but notifications switched off, only the blocking-task messages go out (an extension's approval needs them).
    @Test func blockingTaskMessagesIgnoreTheNotificationsSwitch() throws {
        var settings = AMQPSettings()
        settings.port = try AmqpSettingsTests.brokerPort()
        settings.exchange = "vcdmock-blocking-" + UUID().uuidString.prefix(8).lowercased()
        settings.prefix = settings.exchange
        let notifier = Notifier(settings: settings, configured: true, enabled: false, outboxCapacity: 1000, base: "http://127.0.0.1")
        defer { notifier.publisher.stop() }
        let server = try TestServer(clock: ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z")), notifier: notifier)
        let admin = try server.sysadmin()
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let taskHref = try #require(try taskOf(try server.instantiateAsAlice(try server.alice(), "web"))["href"])
        let b = try server.blockingTask(for: taskHref, admin)
        #expect(try server.act(admin, b, "resume", "ok").status == 204)
        let all = try MessageStatesTests.messages(server.client(), "")
        let types = Set(all.compactMap { $0["eventType"] as? String })
        #expect(types == ["com/vmware/vcloud/event/blockingtask/create", "com/vmware/vcloud/event/blockingtask/resume"], "\(types)")
        #expect(all.count == 4, "XML and JSON of each")
    }
}
