import Testing
import VCDCore
import VCDXML

/// Users at run time: `POST /api/admin/org/{id}/users`, `GET/PUT/DELETE /api/admin/user/{id}`, roles.
@Suite struct UserAdminTests {
    @Test func orgAdministratorCreatesAUserWhoCanLogIn() throws {
        let server = try TestServer()
        let r = try server.alice().send("POST", "/api/admin/org/26/users",
                                        xml: userXML("dave", roleHref: server.roleHref(.vappAuthor), fullName: "Dave D"),
                                        contentType: MediaType.user)
        let user = try expectDocument(r, 201, MediaType.user)
        let id = lastSegment(user["href"])
        #expect(r.header("Location") == server.url("/api/admin/user/\(id)"))
        #expect(user["id"] == "urn:vcloud:user:\(id)")
        #expect(user.child("FullName")?.text == "Dave D")
        #expect(user.child("EmailAddress")?.text == "dave@example.test")
        #expect(user.child("IsEnabled")?.text == "true")
        #expect(user.child("Role")?["href"] == server.roleHref(.vappAuthor))
        #expect(user.child("Role")?["name"] == "vApp Author")
        #expect(user.child("Password") == nil, "never shown")
        let dave = try server.login("dave", "acme", "secret1")
        #expect(try dave.userID() == id)
        let users = try server.alice().send("GET", "/api/admin/org/26").xml().child("Users")?.children("UserReference")
        #expect(users?.map { $0["name"] } == ["alice", "dave"])
        // A vApp Author is no administrator.
        try expectVCDError(dave.send("GET", "/api/admin"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    @Test func roleReferencesResolveAndListThePredefinedRoles() throws {
        let server = try TestServer()
        let refs = try server.sysadmin().send("GET", "/api/admin").xml().child("RoleReferences")?.children("RoleReference") ?? []
        #expect(refs.compactMap { $0["name"] } == ["System Administrator", "Organization Administrator", "vApp Author", "vApp User",
                                                   "Console Access Only"])
        for ref in refs {
            let role = try expectDocument(server.carol().send("GET", try #require(ref["href"])), 200, MediaType.role)
            #expect(role["name"] == ref["name"])
        }
        try expectNoAccess(server.carol().send("GET", "/api/admin/role/nope"), "role", "nope")
    }

    @Test func badUserBodiesAre400() throws {
        let server = try TestServer()
        let alice = try server.alice()
        func post(_ xml: String) throws -> TestClient.Response {
            try alice.send("POST", "/api/admin/org/26/users", xml: xml, contentType: MediaType.user)
        }
        let role = server.roleHref(.user)
        try expectVCDError(post(userXML("", roleHref: role)), 400, "BAD_REQUEST")
        try expectVCDError(post(userXML("eve", password: "short", roleHref: role)), 400, "BAD_REQUEST")
        try expectVCDError(post(userXML("eve", roleHref: nil)), 400, "BAD_REQUEST")
        try expectVCDError(post(userXML("eve", roleHref: server.url("/api/admin/role/unknown"))), 400, "BAD_REQUEST")
        try expectVCDError(post(userXML("ALICE", roleHref: role)), 400, "DUPLICATE_NAME")
        // Only org System has system administrators, and only a system administrator grants it.
        try expectVCDError(post(userXML("eve", roleHref: server.roleHref(.systemAdministrator))), 400, "BAD_REQUEST")
    }

    @Test func tenantsCannotManageOtherOrgsOrAsPlainUsers() throws {
        let server = try TestServer()
        let role = server.roleHref(.user)
        try expectNoAccess(server.bob().send("POST", "/api/admin/org/26/users", xml: userXML("x", roleHref: role), contentType: MediaType.user),
                           "org", "26")
        let globex = try server.orgID("globex")
        let carol = try server.carol()
        try expectNoAccess(carol.send("POST", "/api/admin/org/\(globex)/users", xml: userXML("x", roleHref: role), contentType: MediaType.user),
                           "org", globex)
        let bobID = try server.bob().userID()
        try expectNoAccess(carol.send("DELETE", "/api/admin/user/\(bobID)"), "user", bobID)
        try expectNoAccess(carol.send("PUT", "/api/admin/user/\(bobID)", xml: userXML("bob", roleHref: nil), contentType: MediaType.user),
                           "user", bobID)
    }

    @Test func putChangesFieldsRoleAndPasswordAndDisablingEndsSessions() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let id = try alice.createUser("dave", in: "26", role: .user, server: server)
        let dave = try server.login("dave", "acme", "secret1")
        let body = """
            <User xmlns="http://www.vmware.com/vcloud/v1.5" name="dave"><FullName>David</FullName><IsEnabled>false</IsEnabled>\
            <Role href="\(server.roleHref(.orgAdministrator))"/><Password>secret2</Password></User>
            """
        let user = try expectDocument(alice.send("PUT", "/api/admin/user/\(id)", xml: body, contentType: MediaType.user), 200, MediaType.user)
        #expect(user.child("FullName")?.text == "David")
        #expect(user.child("IsEnabled")?.text == "false")
        #expect(user.child("Role")?["name"] == "Organization Administrator")
        try expectVCDError(dave.send("GET", "/api/session"), 401, "UNAUTHORIZED")
        let refused = try server.client().send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("dave@acme:secret2")])
        try expectVCDError(refused, 401, "UNAUTHORIZED")
        let enable = #"<User xmlns="http://www.vmware.com/vcloud/v1.5" name="dave"><IsEnabled>true</IsEnabled></User>"#
        #expect(try alice.send("PUT", "/api/admin/user/\(id)", xml: enable, contentType: MediaType.user).status == 200)
        let again = try server.login("dave", "acme", "secret2")
        #expect(try again.send("GET", "/api/admin").status == 200, "now an org administrator")
    }

    @Test func deleteRemovesTheUserAndTheirSessionsButNotYourself() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let id = try alice.createUser("dave", in: "26", role: .user, server: server)
        let dave = try server.login("dave", "acme", "secret1")
        #expect(try alice.send("DELETE", "/api/admin/user/\(id)").status == 204)
        try expectVCDError(dave.send("GET", "/api/session"), 401, "UNAUTHORIZED")
        try expectNoAccess(alice.send("GET", "/api/admin/user/\(id)"), "user", id)
        try expectVCDError(alice.send("DELETE", "/api/admin/user/\(try alice.userID())"), 400, "BAD_REQUEST")
    }

    @Test func userLinksFollowTheCallersRights() throws {
        let server = try TestServer()
        let bob = try server.bob()
        let carolID = try server.carol().userID()
        let managed = try bob.send("GET", "/api/admin/user/\(carolID)").xml()
        #expect(managed.link(rel: "edit", type: MediaType.user)?["href"] == server.url("/api/admin/user/\(carolID)"))
        #expect(managed.link(rel: "remove", type: nil)?["href"] == server.url("/api/admin/user/\(carolID)"))
        #expect(managed.link(rel: "up", type: MediaType.adminOrg) != nil)
        let own = try bob.send("GET", "/api/admin/user/\(try bob.userID())").xml()
        #expect(own.link(rel: "edit", type: MediaType.user) != nil)
        #expect(own.link(rel: "remove", type: nil) == nil, "you cannot delete yourself")
    }

    @Test func everyUserChangeIsAnEventInTheUsersOrg() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let id = try alice.createUser("dave", in: "26", role: .user, server: server)
        let edit = #"<User xmlns="http://www.vmware.com/vcloud/v1.5" name="dave"><FullName>D</FullName></User>"#
        #expect(try alice.send("PUT", "/api/admin/user/\(id)", xml: edit, contentType: MediaType.user).status == 200)
        #expect(try alice.send("DELETE", "/api/admin/user/\(id)").status == 204)
        let events = try server.recordedEvents().filter { $0.entity == "urn:vcloud:user:\(id)" }
        #expect(events.map(\.type) == [EventType.userCreate, EventType.userModify, EventType.userDelete])
        #expect(events.allSatisfy { $0.orgName == "acme" })
    }
}
