import Testing
@testable import VCDMock

@Suite struct ControlTokenTests {
    @Test(arguments: ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1", "[::1]", "::FFFF:127.0.0.9"])
    func loopbackAddresses(_ a: String) { #expect(ControlAccess.isLoopback(a)) }

    @Test(arguments: ["10.0.0.1", "128.0.0.1", "::2", "::ffff:10.0.0.1", "", "127.0.0", "1270.0.0.1", "fe80::1", "127.0.0.256"])
    func otherAddresses(_ a: String) { #expect(!ControlAccess.isLoopback(a)) }

    @Test func loopbackIsOpenEvenWithAToken() {
        #expect(ControlAccess.verdict(remoteAddress: "127.0.0.1", authorization: nil, controlToken: "s3cret", isSysadmin: { false }) == .allowed)
        #expect(ControlAccess.verdict(remoteAddress: "::1", authorization: nil, controlToken: nil, isSysadmin: { false }) == .allowed)
    }

    @Test func withATokenOthersNeedIt() {
        let a = { (auth: String?, sysadmin: Bool) in
            ControlAccess.verdict(remoteAddress: "10.1.2.3", authorization: auth, controlToken: "s3cret", isSysadmin: { sysadmin })
        }
        #expect(a("Bearer s3cret", false) == .allowed)
        #expect(a("bearer s3cret", false) == .allowed)
        #expect(a("Bearer  s3cret ", false) == .allowed)
        #expect(a(nil, false) == .needsControlToken)
        #expect(a("Bearer wrong", false) == .needsControlToken)
        #expect(a("Bearer s3cre", false) == .needsControlToken)
        #expect(a("Bearer s3cretx", false) == .needsControlToken)
        #expect(a("Basic s3cret", false) == .needsControlToken)
        #expect(a(nil, true) == .needsControlToken, "a sysadmin session does not replace the control token")
    }

    @Test func withoutATokenOthersNeedASysadmin() {
        #expect(ControlAccess.verdict(remoteAddress: "10.1.2.3", authorization: nil, controlToken: nil, isSysadmin: { true }) == .allowed)
        #expect(ControlAccess.verdict(remoteAddress: "10.1.2.3", authorization: nil, controlToken: nil, isSysadmin: { false }) == .forbidden)
        #expect(ControlAccess.verdict(remoteAddress: "10.1.2.3", authorization: "Bearer x", controlToken: "", isSysadmin: { false }) == .forbidden)
    }

    /// The whole path through App with a made-up client address; IntegrationTests/netns/control.sh checks
    /// the same answers through the real server from another address (a veth pair into a namespace).
    @Test func appliedToMockRoutes() throws {
        let server = try TestServer(config: AppConfig(controlToken: "s3cret"))
        let app = server.app
        let remote = { (headers: [HTTPHeader]) in
            app.handle(HTTPRequestFixture.get("/mock/health", remote: "192.0.2.7", headers: headers)).status
        }
        #expect(remote([]) == 401)
        #expect(remote([HTTPHeader("Authorization", "Bearer nope")]) == 401)
        #expect(remote([HTTPHeader("Authorization", "Bearer s3cret")]) == 200)
        #expect(app.handle(HTTPRequestFixture.get("/mock/health")).status == 200, "loopback stays open")

        let open = try TestServer()
        let admin = try open.sysadmin()
        #expect(open.app.handle(HTTPRequestFixture.get("/mock/about", remote: "192.0.2.7")).status == 403)
        let token = try #require(admin.token)
        #expect(open.app.handle(HTTPRequestFixture.get("/mock/about", remote: "192.0.2.7",
                                                        headers: [HTTPHeader("x-vcloud-authorization", token)])).status == 200)
        let c = open.client()
        c.accept = nil
        #expect(try c.send("GET", "/mock/about").status == 200, "over HTTP on loopback")
    }
}

import VCDHTTP
