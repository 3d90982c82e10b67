import Foundation
import Testing
import VCDXML

/// Every error row of reference §1.8, end to end: the status, an `Error` body in the v1.5 namespace with
/// majorErrorCode = status and the right minorErrorCode, `application/vnd.vmware.vcloud.error+xml;version=5.5`,
/// a request id, and a server that keeps answering afterwards.
@Suite struct ErrorsTests {
    func login(_ server: TestServer, _ credentials: String) throws -> TestClient.Response {
        try server.client().send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic(credentials)])
    }

    // MARK: 400 BAD_REQUEST

    @Test func malformedBodyGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\""), 400, "BAD_REQUEST")
        try expectServerStillAnswers(server)
    }

    @Test func invalidTaskGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(#"name="task" status="bogus" serviceNamespace="x""#)), 400, "BAD_REQUEST")
        try expectServerStillAnswers(server)
    }

    // MARK: 401 UNAUTHORIZED

    @Test func noTokenGives401() throws {
        let server = try TestServer()
        try expectVCDError(server.client().send("GET", "/api/org"), 401, "UNAUTHORIZED")
        try expectServerStillAnswers(server)
    }

    @Test func unknownTokenGives401() throws {
        let server = try TestServer()
        let c = server.client()
        c.token = "0123456789abcdef"
        try expectVCDError(c.send("GET", "/api/org"), 401, "UNAUTHORIZED")
        try expectServerStillAnswers(server)
    }

    @Test func emptyTokenGives401() throws {
        let server = try TestServer()
        let r = try server.client().send("GET", "/api/org", headers: ["x-vcloud-authorization": ""])
        try expectVCDError(r, 401, "UNAUTHORIZED")
    }

    @Test func wrongPasswordAtLoginGives401WithoutToken() throws {
        let server = try TestServer()
        let r = try login(server, "alice@acme:wrong")
        try expectVCDError(r, 401, "UNAUTHORIZED")
        #expect(r.header("x-vcloud-authorization") == nil)
        try expectServerStillAnswers(server)
    }

    @Test func unknownUserAtLoginGives401() throws {
        let server = try TestServer()
        try expectVCDError(login(server, "mallory@acme:alice"), 401, "UNAUTHORIZED")
        try expectServerStillAnswers(server)
    }

    @Test func unknownOrgAtLoginGives401() throws {
        let server = try TestServer()
        try expectVCDError(login(server, "alice@initech:alice"), 401, "UNAUTHORIZED")
        try expectServerStillAnswers(server)
    }

    @Test func userOfAnotherOrgAtLoginGives401() throws {
        let server = try TestServer()
        try expectVCDError(login(server, "alice@globex:alice"), 401, "UNAUTHORIZED")
    }

    @Test func badCredentialsAllAnswerAlike() throws {
        let server = try TestServer()
        let messages = try ["alice@acme:wrong", "mallory@acme:alice", "alice@initech:alice"].map {
            try login(server, $0).xml()["message"]?.replacingOccurrences(of: "mallory", with: "alice")
                .replacingOccurrences(of: "initech", with: "acme")
        }
        #expect(Set(messages).count == 1, "login failures must not tell which part was wrong: \(messages)")
    }

    @Test func loginWithoutCredentialsGives401() throws {
        let server = try TestServer()
        try expectVCDError(server.client().send("POST", "/api/sessions"), 401, "UNAUTHORIZED")
    }

    @Test func loginWithoutOrgInTheUserNameGives401() throws {
        let server = try TestServer()
        try expectVCDError(login(server, "administrator:vmware"), 401, "UNAUTHORIZED")
    }

    @Test func loginWithGarbageBasicCredentialsGives401() throws {
        let server = try TestServer()
        let r = try server.client().send("POST", "/api/sessions", headers: ["Authorization": "Basic !!!not-base64!!!"])
        try expectVCDError(r, 401, "UNAUTHORIZED")
        try expectServerStillAnswers(server)
    }

    // MARK: 403 ACCESS_TO_RESOURCE_IS_FORBIDDEN

    @Test func anotherOrgsEntityGives403() throws {
        let server = try TestServer()
        try expectNoAccess(server.bob().send("GET", "/api/org/26"), "org", "26")
        try expectServerStillAnswers(server)
    }

    @Test func unknownEntityIdsGive403() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let id = "00000000-0000-0000-0000-000000000099"
        try expectNoAccess(admin.send("GET", "/api/org/\(id)"), "org", id)
        try expectNoAccess(admin.send("GET", "/api/admin/org/\(id)"), "org", id)
        try expectNoAccess(admin.send("GET", "/api/tasksList/\(id)"), "org", id)
        try expectNoAccess(admin.send("GET", "/api/task/\(id)"), "task", id)
        try expectNoAccess(admin.send("GET", "/api/admin/user/\(id)"), "user", id)
        try expectNoAccess(admin.send("GET", "/api/catalog/\(id)"), "catalog", id)
        try expectNoAccess(admin.send("GET", "/api/network/\(id)"), "network", id)
        try expectServerStillAnswers(server)
    }

    @Test func insufficientRoleGives403() throws {
        let server = try TestServer()
        try expectVCDError(server.carol().send("GET", "/api/admin"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(server.alice().send("POST", "/api/admin/orgs", xml: #"<AdminOrg xmlns="http://www.vmware.com/vcloud/v1.5" name="x"/>"#,
                                               contentType: MediaType.adminOrg), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectServerStillAnswers(server)
    }

    // MARK: 404 RESOURCE_NOT_FOUND

    @Test func unknownAPIPathGives404() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().send("GET", "/api/nothing"), 404, "RESOURCE_NOT_FOUND")
        try expectServerStillAnswers(server)
    }

    @Test func pathOutsideTheAPIGives404() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().send("GET", "/foo"), 404, "RESOURCE_NOT_FOUND")
        try expectServerStillAnswers(server)
    }

    @Test func unknownPathGives404EvenWithoutSession() throws {
        let server = try TestServer()
        try expectVCDError(server.client().send("GET", "/api/org/26/nothing"), 404, "RESOURCE_NOT_FOUND")
    }

    // MARK: 405 METHOD_NOT_ALLOWED

    @Test func deleteOnAnOrgGives405AllowingGet() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("DELETE", "/api/org/26")
        try expectVCDError(r, 405, "METHOD_NOT_ALLOWED")
        #expect(r.header("Allow") == "GET")
        try expectServerStillAnswers(server)
    }

    @Test func putOnATasksListGives405AllowingGetAndPost() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("PUT", "/api/tasksList/26", xml: taskXML(), contentType: MediaType.task)
        try expectVCDError(r, 405, "METHOD_NOT_ALLOWED")
        let allowed = (r.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Set(allowed) == ["GET", "POST"])
        try expectServerStillAnswers(server)
    }

    @Test func getOnTheCancelActionGives405AllowingPost() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("GET", "/api/task/604/action/cancel")
        try expectVCDError(r, 405, "METHOD_NOT_ALLOWED")
        #expect(r.header("Allow") == "POST")
    }

    @Test func getOnSessionsGives405AllowingPost() throws {
        let server = try TestServer()
        let r = try server.client().send("GET", "/api/sessions")
        try expectVCDError(r, 405, "METHOD_NOT_ALLOWED")
        #expect(r.header("Allow") == "POST")
    }

    // MARK: 406 NOT_ACCEPTABLE

    @Test func missingAcceptGives406() throws {
        let server = try TestServer()
        let alice = try server.alice()
        alice.accept = nil
        try expectVCDError(alice.send("GET", "/api/org"), 406, "NOT_ACCEPTABLE")
        try expectServerStillAnswers(server)
    }

    @Test func acceptWithoutVersionGives406() throws {
        let server = try TestServer()
        let alice = try server.alice()
        alice.accept = "application/*+xml"
        try expectVCDError(alice.send("GET", "/api/org"), 406, "NOT_ACCEPTABLE")
        try expectServerStillAnswers(server)
    }

    @Test func unsupportedVersionGives406ListingTheSupportedOnes() throws {
        let server = try TestServer()
        let alice = try server.alice()
        alice.accept = "application/*+xml;version=9.9"
        let error = try expectVCDError(alice.send("GET", "/api/org"), 406, "NOT_ACCEPTABLE")
        #expect(error["message"]?.contains("Supported API versions are: [1.5, 5.1, 5.5, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0]") == true)
        try expectServerStillAnswers(server)
    }

    @Test func loginWithoutVersionGives406() throws {
        let server = try TestServer()
        let c = server.client()
        c.accept = "application/*+xml"
        let r = try c.send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("alice@acme:alice")])
        try expectVCDError(r, 406, "NOT_ACCEPTABLE")
        #expect(r.header("x-vcloud-authorization") == nil)
    }

    @Test func everyAdvertisedVersionIsAccepted() throws {
        let server = try TestServer()
        let alice = try server.alice()
        for version in ["1.5", "5.1", "5.5"] {
            alice.accept = "application/*+xml;version=\(version)"
            let r = try alice.send("GET", "/api/org")
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "\(MediaType.orgList);version=\(version)")
        }
    }

    // MARK: 413 REQUEST_ENTITY_TOO_LARGE

    @Test func bodyOverTheLimitGives413() throws {
        let server = try TestServer(maxBodyBytes: 1024)
        let padding = String(repeating: "x", count: 4096)
        let r = try server.sysadmin().postTask(taskXML(taskXMLDefaults, "<Details>\(padding)</Details>"))
        try expectVCDError(r, 413, "REQUEST_ENTITY_TOO_LARGE")
        try expectServerStillAnswers(server)
    }

    @Test func bodyUnderTheLimitIsAccepted() throws {
        let server = try TestServer(maxBodyBytes: 1024)
        #expect(try server.sysadmin().postTask(taskXML()).status == 200)
    }

    // MARK: 415 UNSUPPORTED_MEDIA_TYPE

    @Test func wrongContentTypeGives415() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(), contentType: "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE")
        try expectServerStillAnswers(server)
    }

    @Test func missingContentTypeGives415() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", "/api/tasksList/26", body: Array(taskXML().utf8))
        try expectVCDError(r, 415, "UNSUPPORTED_MEDIA_TYPE")
        try expectServerStillAnswers(server)
    }

    // MARK: Request ids

    @Test func everyAnswerCarriesADistinctRequestID() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let anonymous = server.client()
        let answers = [
            try anonymous.send("GET", "/api/versions"),
            try anonymous.send("GET", "/api/org"),                        // 401
            try admin.send("GET", "/api/org"),                            // 200
            try admin.send("GET", "/api/nothing"),                        // 404
            try admin.send("DELETE", "/api/org/26"),                      // 405
            try admin.postTask(taskXML(), contentType: "text/plain"),     // 415
            try admin.postTask("<Task"),                                  // 400
            try admin.postTask(taskXML()),                                // 200
            try admin.send("DELETE", "/api/session"),                     // 204
        ]
        let ids = answers.map { $0.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "" }
        #expect(!ids.contains(""), "missing request id in \(answers.map(\.status))")
        #expect(Set(ids).count == ids.count)
    }

    @Test func theSameRequestTwiceGetsTwoRequestIDs() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let first = try alice.send("GET", "/api/org").header("X-VMWARE-VCLOUD-REQUEST-ID")
        let second = try alice.send("GET", "/api/org").header("X-VMWARE-VCLOUD-REQUEST-ID")
        #expect(first != nil && first != second)
    }
}
