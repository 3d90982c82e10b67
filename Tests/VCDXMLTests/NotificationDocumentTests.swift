import Testing
import VCDCore
import VCDXML

/// The XML body of AMQP notifications (§6.3); the rest of the message is in NotificationMessageTests.
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
}
