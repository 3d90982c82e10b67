import Testing
import VCDXML

/// The Programming Guide's seed page (5.5, p.340), step by step, as a reader would do it.
@Suite struct SeedFlowTests {
    @Test func createServiceTaskThroughAdminOrgLink() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let adminOrg = try admin.send("GET", "/api/admin/org/26")
        #expect(adminOrg.status == 200)
        let link = try adminOrg.xml().children("Link").first { $0["rel"] == "task:create" }
        let href = try #require(link?["href"])
        #expect(link?["type"] == MediaType.task)

        let posted = try admin.send("POST", href, xml: """
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" \
            serviceNamespace="org.example.vcd.backup" operation="Backup in progress"/>
            """, contentType: MediaType.task)
        #expect(posted.status == 200)
        let task = try posted.xml()
        let id = try #require(task["id"])
        #expect(id.hasPrefix("urn:vcloud:task:"))
        #expect(task["startTime"] != nil)
        #expect(task["status"] == "running")

        let list = try admin.send("GET", href).xml()
        #expect(list.children("Task").contains { $0["id"] == id })
        #expect(admin.connects == 1, "keep-alive: every request went over one connection")
    }
}
