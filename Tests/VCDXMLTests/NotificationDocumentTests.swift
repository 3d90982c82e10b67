import Foundation
import Testing
import VCDCore
import VCDXML

/// AMQP notifications (§6.3): the XML and JSON bodies, the routing key and the headers.
@Suite struct NotificationDocumentTests {
    let hrefs = Hrefs(base: "https://vcd.example.test:8443/")
    static let at = Timestamp(milliseconds: 1_714_557_600_000)  // 2024-05-01T10:00:00.000Z
    static let orgOwner = Reference(href: "https://vcd.example.test:8443/api/org/26", name: "Finance", type: MediaType.org)

    init() { VCDXML.XMLReader.initialize() }

    static func taskCreate(owner: Reference? = orgOwner, operationName: String? = "backupInProgress") -> Event {
        Event(id: "3f0e9b8e", type: EventType.taskCreate, success: true, timestamp: at, orgID: "26",
              user: .user(id: "39", name: "bob"), owner: owner, entity: .task(id: "604", name: "task"),
              operationName: operationName)
    }

    static let login = Event(id: "e-2", type: EventType.sessionLogin, success: false, timestamp: at, orgID: "26",
                             user: .user(id: "39", name: "bob"))

    func parse(_ bytes: [UInt8]) throws -> VCDXML.ParsedElement { try VCDXML.XMLReader.parse(bytes) }

    func entityLinks(_ root: VCDXML.ParsedElement) -> [String] {
        root.children("EntityLink").map { "\($0["rel"]!) \($0["type"]!) \($0["name"] ?? "-") \($0["id"]!)" }
    }

    func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    // MARK: XML

    @Test func xmlRootIsAVmextNotification() throws {
        let bytes = NotificationDocument.xml(Self.taskCreate(), orgName: "Finance", hrefs: hrefs)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("<vmext:Notification xmlns:vmext=\"\(Namespace.vmext)\" xmlns:vcloud=\"\(Namespace.vcloud)\""))
        let root = try parse(bytes)
        #expect(root.name == "Notification")
        #expect(root.namespace == Namespace.vmext)
        #expect(root["type"] == "com/vmware/vcloud/event/task/create")
        #expect(root["eventId"] == "3f0e9b8e")
    }

    @Test func xmlChildrenAreInSchemaOrderAndNamespaces() throws {
        let root = try parse(NotificationDocument.xml(Self.taskCreate(), orgName: "Finance", hrefs: hrefs))
        #expect(root.children.map(\.name) == [
            "Link", "EntityLink", "EntityLink", "EntityLink", "EntityLink", "EntityLink", "Timestamp", "OperationSuccess",
        ])
        #expect(root.children.map(\.namespace) == Array(repeating: Namespace.vcloud, count: 6)
            + [Namespace.vmext, Namespace.vmext])
        #expect(root.child("Link")?["rel"] == "entityResolver")
        #expect(root.child("Link")?["href"] == "https://vcd.example.test:8443/api/entity/")
        #expect(root.child("Timestamp")?.text == "2024-05-01T10:00:00.000Z")
        #expect(root.child("OperationSuccess")?.text == "true")
    }

    @Test func taskEventLinksEntityUserOrgTaskAndOwner() throws {
        let root = try parse(NotificationDocument.xml(Self.taskCreate(), orgName: "Finance", hrefs: hrefs))
        #expect(entityLinks(root) == [
            "entity vcloud:task task urn:vcloud:task:604",
            "down vcloud:user bob urn:vcloud:user:39",
            "up vcloud:org Finance urn:vcloud:org:26",
            "task vcloud:task task urn:vcloud:task:604",
            "task:owner vcloud:org Finance urn:vcloud:org:26",
        ])
    }

    @Test func taskWithoutOwnerNamesItsOrgAsOwner() throws {
        let root = try parse(NotificationDocument.xml(Self.taskCreate(owner: nil), orgName: "Finance", hrefs: hrefs))
        #expect(entityLinks(root).contains("task:owner vcloud:org Finance urn:vcloud:org:26"))
        #expect(entityLinks(root).contains { $0.hasPrefix("task ") })
    }

    @Test func ownerKindAndIdComeFromItsMediaTypeAndHref() throws {
        let vapp = Reference(href: "https://h/api/vApp/vapp-1234", name: "web", type: "application/vnd.vmware.vcloud.vApp+xml")
        let adminOrg = Reference(href: "https://h/api/admin/org/26/", name: "Finance", type: MediaType.adminOrg)
        let untyped = Reference(href: "https://h/api/catalog/77?x=1", name: nil, type: nil)
        var owners: [String] = []
        for owner in [vapp, adminOrg, untyped] {
            let root = try parse(NotificationDocument.xml(Self.taskCreate(owner: owner), orgName: "F", hrefs: hrefs))
            owners.append(entityLinks(root).last ?? "")
        }
        #expect(owners == [
            "task:owner vcloud:vapp web urn:vcloud:vapp:1234",
            "task:owner vcloud:org Finance urn:vcloud:org:26",
            "task:owner vcloud:catalog - urn:vcloud:catalog:77",
        ])
    }

    @Test func loginEventHasTheUserAsEntityAndNoTaskLinks() throws {
        let root = try parse(NotificationDocument.xml(Self.login, orgName: "Finance", hrefs: hrefs))
        #expect(entityLinks(root) == [
            "entity vcloud:user bob urn:vcloud:user:39",
            "down vcloud:user bob urn:vcloud:user:39",
            "up vcloud:org Finance urn:vcloud:org:26",
        ])
        #expect(root.child("OperationSuccess")?.text == "false")
    }

    // MARK: JSON

    @Test func jsonCarriesTheDocumentedFields() throws {
        let bytes = NotificationDocument.json(Self.taskCreate(), hrefs: hrefs)
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
        let o = try jsonObject(NotificationDocument.json(Self.login, hrefs: hrefs))
        #expect(o["operationSuccess"] as? Bool == false)
        #expect(o["entity"] as? String == "urn:vcloud:user:39")
        #expect(o["task"] == nil)
        #expect(o["taskOwner"] == nil)
    }

    @Test func jsonEscapesQuotesBackslashesAndControlCharacters() throws {
        var e = Self.login
        e.id = "a\"b\\c\nd\u{1}é"
        let o = try jsonObject(NotificationDocument.json(e, hrefs: hrefs))
        #expect(o["eventId"] as? String == "a\"b\\c\nd\u{1}é")
    }

    // MARK: Routing key and headers

    @Test func taskCreateKeyEndsWithTheOperationName() {
        #expect(NotificationDocument.routingKey(Self.taskCreate())
            == "true.604.26.39.com.vmware.vcloud.event.task.create.backupInProgress")
        #expect(NotificationDocument.routingKey(Self.taskCreate(operationName: nil))
            == "true.604.26.39.com.vmware.vcloud.event.task.create")
        #expect(NotificationDocument.routingKey(Self.taskCreate(operationName: ""))
            == "true.604.26.39.com.vmware.vcloud.event.task.create")
    }

    @Test func loginKeyUsesTheUserAsEntity() {
        #expect(NotificationDocument.routingKey(Self.login) == "false.39.26.39.com.vmware.vcloud.event.session.login")
    }

    @Test func dotsHashesAndStarsInsideWordsBecomeUnderscores() {
        var e = Self.taskCreate(operationName: "backup.v2#*")
        e.orgID = "org.1"
        e.user = .external(Reference(href: "https://h/api/admin/user/u.7", type: MediaType.user))
        e.entity = .task(id: "t*1", name: "task")
        let key = NotificationDocument.routingKey(e)
        #expect(key == "true.t_1.org_1.u_7.com.vmware.vcloud.event.task.create.backup_v2__")
        #expect(key.split(separator: ".").count == 11)
    }

    @Test func longOperationNameIsCutTo255Bytes() {
        let key = NotificationDocument.routingKey(Self.taskCreate(operationName: String(repeating: "é", count: 300)))
        #expect(key.utf8.count <= 255)
        #expect(key.utf8.count >= 254)
        #expect(key.hasPrefix("true.604.26.39.com.vmware.vcloud.event.task.create.éé"))
    }

    @Test func headersAreComplete() {
        #expect(NotificationDocument.headers(Self.taskCreate()) == [
            "notification.type": "com/vmware/vcloud/event/task/create",
            "notification.entityType": "task",
            "notification.entityUUID": "604",
            "notification.orgUUID": "26",
            "notification.userUUID": "39",
            "notification.operationSuccess": "true",
        ])
        #expect(NotificationDocument.headers(Self.login)["notification.entityType"] == "user")
        #expect(NotificationDocument.headers(Self.login)["notification.entityUUID"] == "39")
        #expect(NotificationDocument.headers(Self.login)["notification.operationSuccess"] == "false")
    }
}
