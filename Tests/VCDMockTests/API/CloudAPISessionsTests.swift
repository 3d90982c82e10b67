import Foundation
import Testing
import VCDCore
@testable import VCDMock
import VCDXML

/// cloudapi sessions (reference §2.3): JSON login for tenants and providers, the JWT, Bearer on every
/// endpoint, one session behind both tokens, JSON errors.
@Suite struct CloudAPISessionsTests {
    static let json36 = "application/json;version=36.0"

    struct Login {
        let jwt: String
        let token: String
        let body: [String: Any]
    }

    static func login(_ server: TestServer, _ credentials: String, provider: Bool = false,
                      accept: String = json36) throws -> (TestClient.Response, Login?) {
        let c = server.client()
        c.accept = accept
        let r = try c.send("POST", provider ? "/cloudapi/1.0.0/sessions/provider" : "/cloudapi/1.0.0/sessions",
                           headers: ["Authorization": TestClient.basic(credentials)])
        guard r.status == 200, let jwt = r.header("X-VMWARE-VCLOUD-ACCESS-TOKEN"),
              let token = r.header("x-vcloud-authorization"),
              let body = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any] else { return (r, nil) }
        return (r, Login(jwt: jwt, token: token, body: body))
    }

    /// A JSON cloudapi error with this status and code.
    static func expectJSONError(_ r: TestClient.Response, _ status: Int, _ code: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(r.status == status, "\(r.text)", sourceLocation: sourceLocation)
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
                                sourceLocation: sourceLocation)
        #expect(body["minorErrorCode"] as? String == code, sourceLocation: sourceLocation)
        #expect(!((body["message"] as? String) ?? "").isEmpty, sourceLocation: sourceLocation)
        #expect(body.keys.contains("stackTrace"), sourceLocation: sourceLocation)
    }

    @Test func aTenantLogsInWithJSONAndAJWT() throws {
        let server = try TestServer()
        let (r, login) = try Self.login(server, "alice@acme:alice")
        let l = try #require(login, "\(r.status) \(r.text)")
        #expect(r.header("X-VMWARE-VCLOUD-TOKEN-TYPE") == "Bearer")
        #expect(r.header("Content-Type") == Self.json36)
        #expect((l.body["id"] as? String)?.hasPrefix("urn:vcloud:session:") == true)
        #expect((l.body["user"] as? [String: Any])?["name"] as? String == "alice")
        #expect((l.body["org"] as? [String: Any])?["name"] as? String == "acme")
        #expect((l.body["org"] as? [String: Any])?["id"] as? String == "urn:vcloud:org:26")
        #expect(l.body["roles"] as? [String] == ["Organization Administrator"])
        #expect(((l.body["roleRefs"] as? [[String: Any]])?.first?["id"] as? String)?.hasPrefix("urn:vcloud:role:") == true)
        #expect(l.body["sessionIdleTimeoutMinutes"] as? Int == 30)
        #expect(l.body["location"] is String)
    }

    @Test func theJWTIsSignedHS256WithTheExpectedClaims() throws {
        let clock = TestClock()
        let server = try TestServer(clock: clock)
        let l = try #require(try Self.login(server, "administrator@System:vmware", provider: true).1)
        let parts = l.jwt.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        let header = try #require(AccessToken.decode(parts[0]))
        let headerJSON = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])
        #expect(headerJSON["alg"] as? String == "HS256" && headerJSON["typ"] as? String == "JWT")
        let claims = try #require(AccessToken.verify(l.jwt), "the signature checks out")
        #expect(claims["sub"] as? String == "administrator")
        #expect(claims["iss"] as? String == server.url("/cloudapi"))
        let iat = try #require(claims["iat"] as? Int)
        #expect(Int64(iat) == clock.now().milliseconds / 1000)
        #expect(claims["exp"] as? Int == iat + 24 * 3600)
        #expect(claims["orgId"] as? String == (l.body["org"] as? [String: Any])?["id"] as? String)
        #expect(claims["jti"] as? String == (l.body["id"] as? String)?.replacingOccurrences(of: "urn:vcloud:session:", with: ""))
        // A changed payload no longer verifies.
        let forged = "\(parts[0]).\(AccessToken.base64URL(Array(#"{"sub":"mallory"}"#.utf8))).\(parts[2])"
        #expect(AccessToken.verify(forged) == nil)
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: forged), 401, "UNAUTHORIZED")
    }

    static func get(_ server: TestServer, _ path: String, bearer: String, accept: String = json36) throws -> TestClient.Response {
        let c = server.client()
        c.accept = accept
        return try c.send("GET", path, headers: ["Authorization": "Bearer \(bearer)"])
    }

    @Test func bearerWorksOnApiAndCloudapi() throws {
        let server = try TestServer()
        let l = try #require(try Self.login(server, "alice@acme:alice").1)
        let current = try Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: l.jwt)
        #expect(current.status == 200)
        #expect(current.text.contains("\"alice\""))
        let orgs = try Self.get(server, "/api/org", bearer: l.jwt, accept: "application/*+xml;version=36.0")
        #expect(orgs.status == 200 && orgs.header("Content-Type") == "\(MediaType.orgList);version=36.0")
        let session = try Self.get(server, "/api/session", bearer: l.jwt, accept: "application/*+xml;version=36.0")
        #expect(try session.xml()["user"] == "alice")
        #expect(session.header("x-vcloud-authorization") == l.token)
    }

    @Test func theWrongLoginPathIs401() throws {
        let server = try TestServer()
        let (tenantOnProvider, _) = try Self.login(server, "alice@acme:alice", provider: true)
        try Self.expectJSONError(tenantOnProvider, 401, "UNAUTHORIZED")
        let (providerOnTenant, _) = try Self.login(server, "administrator@System:vmware")
        try Self.expectJSONError(providerOnTenant, 401, "UNAUTHORIZED")
        let (badPassword, _) = try Self.login(server, "alice@acme:wrong")
        try Self.expectJSONError(badPassword, 401, "UNAUTHORIZED")
        #expect(try Self.login(server, "administrator@System:vmware", provider: true).1 != nil)
    }

    @Test func cloudapiErrorsAreJSON() throws {
        let server = try TestServer()
        let l = try #require(try Self.login(server, "alice@acme:alice").1)
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/nothing", bearer: l.jwt), 404, "RESOURCE_NOT_FOUND")
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: l.jwt,
                                          accept: "application/json;version=99.0"), 406, "NOT_ACCEPTABLE")
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: l.jwt,
                                          accept: "application/json;version=32.0"), 406, "NOT_ACCEPTABLE")
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: "nope"), 401, "UNAUTHORIZED")
        let (go, _) = try Self.login(server, "alice@acme:alice", accept: "application/*;version=33.0")
        #expect(go.status == 200, "go-vcloud-director's Accept: \(go.text)")
    }

    @Test func logoutOnEitherSideEndsTheOneSession() throws {
        let server = try TestServer()
        // cloudapi logout ends the x-vcloud-authorization token too.
        let a = try #require(try Self.login(server, "alice@acme:alice").1)
        let c = server.client()
        c.accept = Self.json36
        #expect(try c.send("DELETE", "/cloudapi/1.0.0/sessions/current", headers: ["Authorization": "Bearer \(a.jwt)"]).status == 204)
        let old = server.client()
        old.token = a.token
        try expectVCDError(old.send("GET", "/api/org"), 401, "UNAUTHORIZED")
        // /api/session logout (5.5 style, with its JWT at API 36) ends the Bearer token too.
        let x = server.client()
        x.accept = "application/*+xml;version=36.0"
        let r = try x.send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("alice@acme:alice")])
        let jwt = try #require(r.header("X-VMWARE-VCLOUD-ACCESS-TOKEN"), "API 30+ /api/sessions hands out a JWT")
        #expect(r.header("X-VMWARE-VCLOUD-TOKEN-TYPE") == "Bearer")
        #expect(try Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: jwt).status == 200)
        x.token = r.header("x-vcloud-authorization")
        #expect(try x.send("DELETE", "/api/session").status == 204)
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: jwt), 401, "UNAUTHORIZED")
    }

    @Test func api55LoginGivesNoJWTBelow30() throws {
        let server = try TestServer()
        let c = server.client()
        c.accept = "application/*+xml;version=29.0"
        let r = try c.send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("alice@acme:alice")])
        #expect(r.status == 200 && r.header("X-VMWARE-VCLOUD-ACCESS-TOKEN") == nil)
    }

    @Test func theIdleTimeoutEndsBothTokens() throws {
        let clock = TestClock()
        let server = try TestServer(settings: CloudSettings(sessionIdleTimeoutMinutes: 1), clock: clock)
        let l = try #require(try Self.login(server, "alice@acme:alice").1)
        clock.advance(seconds: 61)
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: l.jwt), 401, "UNAUTHORIZED")
        let old = server.client()
        old.token = l.token
        try expectVCDError(old.send("GET", "/api/org"), 401, "UNAUTHORIZED")
    }

    @Test func theJWTStopsAtItsExpiryWhileTheSessionLives() throws {
        let clock = TestClock()
        let server = try TestServer(settings: CloudSettings(sessionIdleTimeoutMinutes: 10 * 24 * 60), clock: clock)
        let l = try #require(try Self.login(server, "alice@acme:alice").1)
        clock.advance(seconds: 24 * 3600)
        #expect(try Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: l.jwt).status == 200)
        clock.advance(seconds: 2)
        try Self.expectJSONError(Self.get(server, "/cloudapi/1.0.0/sessions/current", bearer: l.jwt), 401, "UNAUTHORIZED")
        let old = server.client()
        old.token = l.token
        #expect(try old.send("GET", "/api/org").status == 200, "x-vcloud-authorization lives on until idle")
    }
}
