import Foundation
import Testing
import VCDCore
import VCDXML

/// Org and user changes are notified like every other event (§6.3), through the real broker.
@Suite struct AdminNotificationsTests {
    func messages(_ server: TestServer, _ query: String) throws -> [[String: Any]] {
        let json = try MessageJournalTests.json(try server.client().send("GET", "/mock/messages?" + query))
        return try #require(json["messages"] as? [[String: Any]])
    }

    @Test func orgAndUserChangesAreNotifiedAndNameTheNewOrg() throws {
        let notifier = try MessageJournalTests.brokerNotifier()
        defer { notifier.publisher.stop() }
        let server = try TestServer(notifier: notifier)
        let admin = try server.sysadmin()
        let orgID = try admin.createOrg("notified")
        let userID = try admin.createUser("nina", in: orgID, role: .user, server: server)
        #expect(try admin.send("DELETE", "/api/admin/user/\(userID)").status == 204)
        #expect(try admin.send("DELETE", "/api/admin/org/\(orgID)?force=true&recursive=true").status == 204)

        let system = try messages(server, "org=System").compactMap { $0["eventType"] as? String }
        #expect(system.filter { $0.hasPrefix(EventType.prefix + "org/") } == [EventType.orgCreate, EventType.orgCreate,
                                                                                EventType.orgDelete, EventType.orgDelete],
                "XML and JSON for each")
        let users = try messages(server, "org=notified")
        #expect(users.compactMap { $0["eventType"] as? String } == [EventType.userCreate, EventType.userCreate,
                                                                     EventType.userDelete, EventType.userDelete])
        #expect(users.allSatisfy { $0["orgName"] as? String == "notified" }, "the new org's name, not its id")
        let xml = try #require(users.first { $0["contentType"] as? String == "application/vnd.vmware.vcloud.notification+xml" })
        #expect((xml["body"] as? String)?.contains("urn:vcloud:user:\(userID)") == true)
        #expect((xml["body"] as? String)?.contains("name=\"notified\"") == true)
        #expect((xml["routingKey"] as? String)?.hasSuffix(".com.vmware.vcloud.event.user.create") == true)
    }
}
