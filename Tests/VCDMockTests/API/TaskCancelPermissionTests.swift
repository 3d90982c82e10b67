import Testing
import VCDXML

/// Who may cancel a task (reference §4.5: "canceled by the owner or an admin"): the user it runs for, an
/// administrator of its org, or a system administrator; not another plain user of the same org.
@Suite struct TaskCancelPermissionTests: TaskTestSupport {
    /// A running task in globex created by the system administrator, optionally on behalf of `user`.
    func globexRunningTask(_ server: TestServer, for userHref: String? = nil) throws -> String {
        let user = userHref.map { #"<User href="\#($0)"/>"# } ?? ""
        let xml = #"<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example.vcd.backup">\#(user)</Task>"#
        let r = try server.sysadmin().postTask(xml, org: server.orgID("globex"))
        #expect(r.status == 200, "\(r.text)")
        return try #require(try r.xml()["href"])
    }

    @Test func aPlainUserCannotCancelSomeoneElsesTask() throws {
        let server = try TestServer()
        let href = try globexRunningTask(server)
        try expectVCDError(server.carol().send("POST", href + "/action/cancel"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(try server.sysadmin().send("GET", href).xml()["status"] == "running")
    }

    @Test func theOrgAdministratorMayCancel() throws {
        let server = try TestServer()
        let href = try globexRunningTask(server)
        #expect(try server.bob().send("POST", href + "/action/cancel").status == 204)
        #expect(try server.sysadmin().send("GET", href).xml()["status"] == "canceled")
    }

    @Test func theUserATaskRunsForMayCancelIt() throws {
        let server = try TestServer()
        let carol = try server.carol()
        let session = try carol.send("GET", "/api/session").xml()
        let userID = try #require(session["userId"]?.split(separator: ":").last.map(String.init))
        let href = try globexRunningTask(server, for: "\(server.base)/api/admin/user/\(userID)")
        #expect(try carol.send("POST", href + "/action/cancel").status == 204)
    }
}
