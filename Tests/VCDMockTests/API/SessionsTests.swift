import Testing
import VCDCore
import VCDXML

/// Login, the current session and logout (reference §2.2), and the token headers of §1.3.
@Suite struct SessionsTests {
    func login(_ server: TestServer, _ credentials: String) throws -> TestClient.Response {
        try server.client().send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic(credentials)])
    }

    // MARK: POST /api/sessions

    @Test func loginAnswers200WithASessionAndAToken() throws {
        let server = try TestServer()
        let r = try login(server, "administrator@System:vmware")
        let session = try expectDocument(r, 200, MediaType.session)
        #expect(session.name == "Session")
        #expect(!(r.header("x-vcloud-authorization") ?? "").isEmpty)
    }

    @Test func loginSetsTheVcloudTokenCookieToTheSameToken() throws {
        let server = try TestServer()
        let r = try login(server, "alice@acme:alice")
        let token = try #require(r.header("x-vcloud-authorization"))
        #expect(r.header("Set-Cookie")?.hasPrefix("vcloud-token=\(token);") == true)
    }

    @Test func everyLoginGetsItsOwnToken() throws {
        let server = try TestServer()
        let first = try login(server, "alice@acme:alice").header("x-vcloud-authorization")
        let second = try login(server, "alice@acme:alice").header("x-vcloud-authorization")
        #expect(first != nil && first != second)
    }

    @Test func sessionNamesUserOrgAndUserURN() throws {
        let server = try TestServer()
        let session = try login(server, "alice@acme:alice").xml()
        #expect(session["user"] == "alice")
        #expect(session["org"] == "acme")
        #expect(session["userId"]?.hasPrefix("urn:vcloud:user:") == true)
        #expect(session["userId"]?.count ?? 0 > "urn:vcloud:user:".count)
        #expect(session["type"] == MediaType.session)
        #expect(session["href"] == server.url("/api/session/"))
    }

    @Test func systemAdministratorsLogInToOrgSystem() throws {
        let server = try TestServer()
        let session = try login(server, "administrator@System:vmware").xml()
        #expect(session["user"] == "administrator")
        #expect(session["org"] == "System")
    }

    @Test func sessionHasExactlyOneOrgListLink() throws {
        let server = try TestServer()
        let session = try login(server, "carol@globex:carol").xml()
        let orgLists = session.children("Link").filter { $0["type"] == MediaType.orgList }
        #expect(orgLists.count == 1)
        #expect(orgLists.first?["rel"] == "down")
        #expect(orgLists.first?["href"] == server.url("/api/org/"))
    }

    @Test(arguments: ["administrator@System:vmware", "alice@acme:alice", "carol@globex:carol"])
    func sessionHasAtMostOneLinkPerRelAndType(credentials: String) throws {
        let server = try TestServer()
        let links = try login(server, credentials).xml().children("Link")
        let pairs = links.map { "\($0["rel"] ?? "") \($0["type"] ?? "-")" }
        #expect(Set(pairs).count == pairs.count, "duplicates in \(pairs)")
    }

    @Test func sessionHasARemoveLinkToItself() throws {
        let server = try TestServer()
        let session = try login(server, "alice@acme:alice").xml()
        #expect(session.link(rel: "remove", type: nil)?["href"] == server.url("/api/session/"))
    }

    @Test func sysadminSessionLinksToAdminExtensionAndQuery() throws {
        let server = try TestServer()
        let session = try login(server, "administrator@System:vmware").xml()
        #expect(session.link(rel: "down", type: MediaType.vcloud)?["href"] == server.url("/api/admin/"))
        #expect(session.link(rel: "down", type: MediaType.vmwExtension)?["href"] == server.url("/api/admin/extension"))
        #expect(session.link(rel: "down", type: MediaType.queryList)?["href"] == server.url("/api/query"))
    }

    @Test(arguments: ["alice@acme:alice", "carol@globex:carol"])
    func tenantSessionHasNoAdminOrExtensionLinksButTheQueryList(credentials: String) throws {
        let server = try TestServer()
        let session = try login(server, credentials).xml()
        #expect(session.links(rel: "down", type: MediaType.vcloud).isEmpty)
        #expect(session.links(rel: "down", type: MediaType.vmwExtension).isEmpty)
        #expect(session.link(rel: "down", type: MediaType.queryList)?["href"] == server.url("/api/query"))
    }

    @Test func sessionLinksToTheLoggedInOrg() throws {
        let server = try TestServer()
        let session = try login(server, "alice@acme:alice").xml()
        let org = try #require(session.link(rel: "down", type: MediaType.org))
        #expect(org["name"] == "acme")
        #expect(org["href"] == server.url("/api/org/26"))
    }

    @Test func sysadminSessionLinksToOrgSystem() throws {
        let server = try TestServer()
        let session = try login(server, "administrator@System:vmware").xml()
        let org = try #require(session.link(rel: "down", type: MediaType.org))
        #expect(org["name"] == "System")
        #expect(org["href"] == server.url("/api/org/\(try server.orgID("System"))"))
    }

    @Test func everySessionLinkThatCanBeReadAnswers200() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let session = try admin.send("GET", "/api/session").xml()
        let down = session.children("Link").filter { $0["rel"] == "down" }
        // Org list, query list, the System org, admin, extension...: a session without them is broken too.
        try #require(down.count >= 3, "the sysadmin's session has its down links: \(session)")
        for link in down {
            let href = try #require(link["href"])
            #expect(try admin.send("GET", href).status == 200, "GET \(href)")
        }
    }

    // MARK: GET /api/session

    @Test func currentSessionIsTheLoggedInUsersSession() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let session = try expectDocument(alice.send("GET", "/api/session"), 200, MediaType.session)
        #expect(session["user"] == "alice")
        #expect(session["org"] == "acme")
    }

    @Test func currentSessionEchoesTheTokenHeader() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let r = try alice.send("GET", "/api/session")
        #expect(r.header("x-vcloud-authorization") == alice.token)
    }

    @Test func currentSessionHasTheSameUserIdAsLogin() throws {
        let server = try TestServer()
        let login = try login(server, "bob@globex:bob")
        let bob = server.client()
        bob.token = login.header("x-vcloud-authorization")
        #expect(try bob.send("GET", "/api/session").xml()["userId"] == login.xml()["userId"])
    }

    // MARK: DELETE /api/session

    @Test func logoutAnswers204WithoutBody() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let r = try alice.send("DELETE", "/api/session")
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        #expect(!(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "").isEmpty)
    }

    @Test func aLoggedOutTokenIsRejectedWith401() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try alice.send("DELETE", "/api/session").status == 204)
        try expectVCDError(alice.send("GET", "/api/org"), 401, "UNAUTHORIZED")
        try expectVCDError(alice.send("GET", "/api/session"), 401, "UNAUTHORIZED")
    }

    @Test func logoutThroughTheSessionsRemoveLinkWorks() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let remove = try #require(try alice.send("GET", "/api/session").xml().link(rel: "remove", type: nil)?["href"])
        #expect(try alice.send("DELETE", remove).status == 204)
        #expect(try alice.send("GET", "/api/org").status == 401)
    }

    @Test func logoutEndsOnlyItsOwnSession() throws {
        let server = try TestServer()
        let first = try server.alice()
        let second = try server.alice()
        #expect(try first.send("DELETE", "/api/session").status == 204)
        #expect(try second.send("GET", "/api/org").status == 200)
    }

    @Test func logoutIgnoresPyvcloudsQueryParameters() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try alice.send("DELETE", "/api/session?force=False&recursive=False").status == 204)
    }

    // MARK: Idle timeout

    @Test func aSessionExpiresAfterItsIdleTimeout() throws {
        let clock = TestClock()
        let server = try TestServer(settings: CloudSettings(sessionIdleTimeoutMinutes: 1), clock: clock)
        let alice = try server.alice()
        clock.advance(seconds: 61)
        try expectVCDError(alice.send("GET", "/api/org"), 401, "UNAUTHORIZED")
    }

    @Test func aSessionInUseDoesNotExpire() throws {
        let clock = TestClock()
        let server = try TestServer(settings: CloudSettings(sessionIdleTimeoutMinutes: 1), clock: clock)
        let alice = try server.alice()
        for _ in 0..<5 {
            clock.advance(seconds: 50)
            #expect(try alice.send("GET", "/api/org").status == 200)
        }
    }

    @Test func anExpiredSessionStaysExpired() throws {
        let clock = TestClock()
        let server = try TestServer(settings: CloudSettings(sessionIdleTimeoutMinutes: 1), clock: clock)
        let alice = try server.alice()
        clock.advance(seconds: 61)
        #expect(try alice.send("GET", "/api/org").status == 401)
        #expect(try alice.send("GET", "/api/org").status == 401)
    }

    @Test func oneSessionExpiringLeavesABusierOneAlive() throws {
        let clock = TestClock()
        let server = try TestServer(settings: CloudSettings(sessionIdleTimeoutMinutes: 1), clock: clock)
        let idle = try server.alice()
        let busy = try server.alice()
        clock.advance(seconds: 40)
        #expect(try busy.send("GET", "/api/org").status == 200)
        clock.advance(seconds: 40)
        #expect(try idle.send("GET", "/api/org").status == 401)
        #expect(try busy.send("GET", "/api/org").status == 200)
    }

    // MARK: Token headers

    @Test func tokenIsAcceptedAsAuthorizationBearer() throws {
        let server = try TestServer()
        let token = try #require(try server.alice().token)
        let c = server.client()
        let r = try c.send("GET", "/api/session", headers: ["Authorization": "Bearer \(token)"])
        #expect(r.status == 200)
        #expect(try r.xml()["user"] == "alice")
    }

    @Test func bearerSchemeIsCaseInsensitive() throws {
        let server = try TestServer()
        let token = try #require(try server.alice().token)
        let r = try server.client().send("GET", "/api/org", headers: ["Authorization": "bearer \(token)"])
        #expect(r.status == 200)
    }

    @Test func tokenIsAcceptedAsXVmwareVcloudAccessToken() throws {
        let server = try TestServer()
        let token = try #require(try server.alice().token)
        let r = try server.client().send("GET", "/api/session", headers: ["X-VMWARE-VCLOUD-ACCESS-TOKEN": token])
        #expect(r.status == 200)
        #expect(try r.xml()["user"] == "alice")
    }

    @Test func goVcloudDirectorsThreeTokenHeadersTogetherAreAccepted() throws {
        let server = try TestServer()
        let token = try #require(try server.bob().token)
        let r = try server.client().send("GET", "/api/org", headers: [
            "X-Vmware-Vcloud-Access-Token": token, "X-Vmware-Vcloud-Token-Type": "Bearer", "Authorization": "bearer \(token)",
        ])
        #expect(r.status == 200)
    }

    @Test func anUnknownBearerTokenIsRejectedWith401() throws {
        let server = try TestServer()
        let r = try server.client().send("GET", "/api/org", headers: ["Authorization": "Bearer not-a-token"])
        try expectVCDError(r, 401, "UNAUTHORIZED")
    }
}
