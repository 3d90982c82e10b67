import Foundation
import Testing
import VCDCore
import VCDMock
import VCDXML

/// The JSON body, routing key and headers of AMQP notifications (§6.3).
@Suite struct NotificationMessageTests {
    static let at = Timestamp(milliseconds: 1_714_557_600_000)  // 2024-05-01T10:00:00.000Z
    static let orgOwner = Reference(href: "https://vcd.example.test:8443/api/org/26", name: "Finance", type: MediaType.org)

    static func taskCreate(owner: Reference? = orgOwner, operationName: String? = "backupInProgress") -> Event {
        Event(id: "3f0e9b8e", type: EventType.taskCreate, success: true, timestamp: at, orgID: "26",
              user: .user(id: "39", name: "bob"), owner: owner, entity: .task(id: "604", name: "task"),
              operationName: operationName)
    }

    static let login = Event(id: "e-2", type: EventType.sessionLogin, success: false, timestamp: at, orgID: "26",
                             user: .user(id: "39", name: "bob"))

    func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    // MARK: JSON

    @Test func jsonCarriesTheDocumentedFields() throws {
        let bytes = NotificationMessage.json(Self.taskCreate())
        let o = try jsonObject(bytes)
        #expect(o.count == 9)
        #expect(o["eventId"] as? String == "3f0e9b8e")
        #expect(o["type"] as? String == "com/vmware/vcloud/event/task/create")
        #expect(o["timestamp"] as? String == "2024-05-01T10:00:00.000Z")
        #expect(o["operationSuccess"] as? Bool == true)
        #expect(o["user"] as? String == "urn:vcloud:user:39")
        #expect(o["org"] as? String == "urn:vcloud:org:26")
        #expect(o["entity"] as? String == "urn:vcloud:task:604")
        #expect(o["task"] as? String == "urn:vcloud:task:604")
        #expect(o["taskOwner"] as? String == "urn:vcloud:org:26")
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("{\"eventId\":\"3f0e9b8e\",\"type\":"))
    }

    @Test func jsonForLoginHasNoTaskFields() throws {
        let o = try jsonObject(NotificationMessage.json(Self.login))
        #expect(o["operationSuccess"] as? Bool == false)
        #expect(o["entity"] as? String == "urn:vcloud:user:39")
        #expect(o["task"] == nil)
        #expect(o["taskOwner"] == nil)
    }

    @Test func jsonEscapesQuotesBackslashesAndControlCharacters() throws {
        var e = Self.login
        e.id = "a\"b\\c\nd\u{1}é"
        let o = try jsonObject(NotificationMessage.json(e))
        #expect(o["eventId"] as? String == "a\"b\\c\nd\u{1}é")
    }

    // MARK: Routing key and headers

    @Test func taskCreateKeyEndsWithTheOperationName() {
        #expect(NotificationMessage.routingKey(Self.taskCreate())
            == "true.604.26.39.com.vmware.vcloud.event.task.create.backupInProgress")
        #expect(NotificationMessage.routingKey(Self.taskCreate(operationName: nil))
            == "true.604.26.39.com.vmware.vcloud.event.task.create")
        #expect(NotificationMessage.routingKey(Self.taskCreate(operationName: ""))
            == "true.604.26.39.com.vmware.vcloud.event.task.create")
    }

    @Test func loginKeyUsesTheUserAsEntity() {
        #expect(NotificationMessage.routingKey(Self.login) == "false.39.26.39.com.vmware.vcloud.event.session.login")
    }

    @Test func dotsHashesAndStarsInsideWordsBecomeUnderscores() {
        var e = Self.taskCreate(operationName: "backup.v2#*")
        e.orgID = "org.1"
        e.user = .external(Reference(href: "https://h/api/admin/user/u.7", type: MediaType.user))
        e.entity = .task(id: "t*1", name: "task")
        let key = NotificationMessage.routingKey(e)
        #expect(key == "true.t_1.org_1.u_7.com.vmware.vcloud.event.task.create.backup_v2__")
        #expect(key.split(separator: ".").count == 11)
    }

    @Test func jsonEscapesInsideURNsAndWritesControlBytesAsUnicodeEscapes() throws {
        var e = Self.taskCreate()
        e.id = "a\"b\\c\nd\u{1}é日"
        e.entity = .task(id: "t\"1", name: "task")
        let bytes = NotificationMessage.json(e)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"eventId":"a\"b\\c\nd\u0001é日","#), "\(text)")
        let o = try jsonObject(bytes)
        #expect(o["eventId"] as? String == e.id)
        #expect(o["entity"] as? String == "urn:vcloud:task:t\"1")
    }

    @Test func longOperationNameIsCutTo255Bytes() {
        let key = NotificationMessage.routingKey(Self.taskCreate(operationName: String(repeating: "é", count: 300)))
        #expect(key.utf8.count <= 255)
        #expect(key.utf8.count >= 254)
        #expect(key.hasPrefix("true.604.26.39.com.vmware.vcloud.event.task.create.éé"))
    }

    @Test func headersAreComplete() {
        #expect(NotificationMessage.headers(Self.taskCreate()) == [
            "notification.type": "com/vmware/vcloud/event/task/create",
            "notification.entityType": "task",
            "notification.entityUUID": "604",
            "notification.orgUUID": "26",
            "notification.userUUID": "39",
            "notification.operationSuccess": "true",
        ])
        #expect(NotificationMessage.headers(Self.login)["notification.entityType"] == "user")
        #expect(NotificationMessage.headers(Self.login)["notification.entityUUID"] == "39")
        #expect(NotificationMessage.headers(Self.login)["notification.operationSuccess"] == "false")
    }
}
