import Foundation
import Testing
@testable import VCDMock
import VCDXML

/// `/mock/faults` over HTTP: each effect seen from a client, caps, probability, hit counts, removal.
@Suite struct FaultsTests {
    struct Listed: Decodable {
        let id: String
        let method: String?
        let pathPattern: String?
        let org: String?
        let status: Int?
        let latencyMs: Int?
        let drop: Bool?
        let amqp: String?
        let probability: Double
        let maxCount: Int?
        let hits: Int
    }

    struct Listing: Decodable { let faults: [Listed] }

    static func add(_ c: TestClient, _ json: String) throws -> TestClient.Response {
        try c.send("POST", "/mock/faults", headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    static func added(_ c: TestClient, _ json: String) throws -> Listed {
        let r = try add(c, json)
        #expect(r.status == 201, "\(r.text)")
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        return try JSONDecoder().decode(Listed.self, from: Data(r.body))
    }

    static func list(_ c: TestClient) throws -> [Listed] {
        let r = try c.send("GET", "/mock/faults")
        #expect(r.status == 200, "\(r.text)")
        return try JSONDecoder().decode(Listing.self, from: Data(r.body)).faults
    }

    @Test func statusRuleAnswersAVCDErrorAndRespectsMaxCount() throws {
        let server = try TestServer()
        let control = server.client()
        let rule = try Self.added(control, #"""
            {"method": "GET", "pathPattern": "/api/versions", "status": 503, "minorErrorCode": "BUSY",
             "message": "try later", "maxCount": 2}
            """#)
        #expect(rule.status == 503 && rule.maxCount == 2 && rule.hits == 0 && rule.probability == 1)
        let c = server.client()
        for _ in 0..<2 {
            let r = try c.send("GET", "/api/versions")
            #expect(r.status == 503)
            #expect(r.header("Content-Type")?.hasPrefix(MediaType.error) == true)
            let error = try r.xml()
            #expect(error.name == "Error")
            #expect(error["minorErrorCode"] == "BUSY")
            #expect(error["message"] == "try later")
            #expect(error["majorErrorCode"] == "503")
        }
        #expect(try c.send("GET", "/api/versions").status == 200, "the cap of 2 is used up")
        #expect(try c.send("POST", "/api/versions").status == 405, "the method does not match")
        #expect(try Self.list(control).map(\.hits) == [2])
        #expect(try control.send("GET", "/mock/faults").status == 200, "/mock is never affected")
    }

    @Test func pathPatternMustMatchTheWholePathAndOrgMatchesTheCaller() throws {
        let server = try TestServer()
        let control = server.client()
        _ = try Self.added(control, #"{"pathPattern": "/api/org", "status": 500}"#)
        _ = try Self.added(control, #"{"org": "globex", "pathPattern": "/api/session", "status": 429}"#)
        let alice = try server.alice()
        #expect(try alice.send("GET", "/api/org").status == 500)
        #expect(try alice.send("GET", "/api/org/26").status == 200, "a prefix is not a match")
        #expect(try alice.send("GET", "/api/session").status == 200, "alice is in acme, not globex")
        let bob = try server.bob()
        #expect(try bob.send("GET", "/api/session").status == 429)
        #expect(try Self.list(control).map(\.hits) == [1, 1])
    }

    @Test func orgMatchesAnOrgInThePath() throws {
        let server = try TestServer()
        let control = server.client()
        _ = try Self.added(control, #"{"org": "acme", "status": 502}"#)
        let admin = try server.sysadmin()
        #expect(try admin.send("GET", "/api/admin/org/26").status == 502, "org 26 is acme")
        #expect(try admin.send("GET", "/api/session").status == 200)
    }

    @Test func latencyDelaysTheNormalAnswer() throws {
        let server = try TestServer()
        let control = server.client()
        _ = try Self.added(control, #"{"pathPattern": "/api/versions", "latencyMs": 400}"#)
        let started = Date()
        let r = try server.client().send("GET", "/api/versions")
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 200)
        #expect(r.text.contains("<SupportedVersions"), "the normal answer, late")
        #expect(elapsed >= 0.4, "answered after \(elapsed) s")
        #expect(elapsed < 10, "answered after \(elapsed) s")
    }

    /// One worker thread: a request delayed by a latency fault must leave it free for others. Ordering, not
    /// timing: /mock/health answers while the delayed request is still pending; a blocked worker could not.
    @Test func aDelayHoldsNoWorkerThread() throws {
        let server = try TestServer(threads: 1)
        let slow = try Self.delayedRequest(server, latencyMs: 3000)
        let quick = server.client()
        for _ in 0..<3 { #expect(try quick.send("GET", "/mock/health").status == 200) }
        #expect(slow.done.wait(timeout: .now()) == .timedOut, "the delayed request finished before /mock/health was answered")
        #expect(slow.done.wait(timeout: .now() + 20) == .success)
        #expect(slow.status == 200)
    }

    /// `GET /api/versions` on its own thread behind a latency fault, returned once the fault holds it.
    final class DelayedRequest: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        /// Set before `done` is signalled: the HTTP status, or -1 when the connection closed without one.
        var status = 0
    }

    static func delayedRequest(_ server: TestServer, latencyMs: Int) throws -> DelayedRequest {
        let control = server.client()
        _ = try added(control, #"{"pathPattern": "/api/versions", "latencyMs": \#(latencyMs)}"#)
        let request = DelayedRequest()
        let slow = server.client()
        Thread.detachNewThread {
            request.status = (try? slow.send("GET", "/api/versions"))?.status ?? -1
            request.done.signal()
        }
        // The fault has fired (the request is being delayed) once its hit is counted.
        try waitUntil("the delayed request reached the fault") { try list(control).first?.hits == 1 }
        return request
    }

    /// libmicrohttpd aborts the process when stopped with a suspended connection: stop answers it first.
    @Test func stoppingDuringADelayAnswers503AndDoesNotAbort() throws {
        let server = try TestServer(threads: 1)
        let slow = try Self.delayedRequest(server, latencyMs: 60000)
        server.server.stop()
        #expect(slow.done.wait(timeout: .now() + 20) == .success, "the delayed request was left hanging")
        // Answered 503 when the response made it out before the connection closed, else the socket closed (-1).
        #expect(slow.status == 503 || slow.status == -1, "status \(slow.status)")
        server.server.stop()  // a second stop does nothing
    }

    @Test func dropClosesTheConnectionWithoutAResponse() throws {
        let server = try TestServer()
        let control = server.client()
        // The test client retries once on a closed socket, so two drops make it give up.
        _ = try Self.added(control, #"{"pathPattern": "/api/versions", "drop": true, "maxCount": 2}"#)
        let c = server.client()
        #expect(throws: TestFailure.self) { try c.send("GET", "/api/versions") }
        #expect(try Self.list(control).first?.hits == 2)
        #expect(try server.client().send("GET", "/api/versions").status == 200)
    }

    @Test func probabilityZeroNeverFiresAndDeleteClears() throws {
        let server = try TestServer()
        let control = server.client()
        let never = try Self.added(control, #"{"status": 503, "probability": 0}"#)
        let c = server.client()
        for _ in 0..<20 { #expect(try c.send("GET", "/api/versions").status == 200) }
        #expect(try Self.list(control).first?.hits == 0)

        _ = try Self.added(control, #"{"match": {"pathPattern": "/api/versions"}, "effect": {"status": 504}}"#)
        #expect(try c.send("GET", "/api/versions").status == 504)
        #expect(try control.send("DELETE", "/mock/faults/\(never.id)").status == 204)
        #expect(try control.send("DELETE", "/mock/faults/\(never.id)").status == 404)
        #expect(try Self.list(control).count == 1)
        #expect(try control.send("DELETE", "/mock/faults").status == 204)
        #expect(try Self.list(control).isEmpty)
        #expect(try c.send("GET", "/api/versions").status == 200)
    }

    @Test(arguments: [
        ("not json", "not a JSON object"),
        (#"{"method": "GET"}"#, "no effect"),
        (#"{"status": 200}"#, "status must be"),
        (#"{"status": 503, "drop": true}"#, "exactly one effect"),
        (#"{"pathPattern": "(", "status": 503}"#, "not a valid regular expression"),
        (#"{"pathPattern": "/mock/health", "status": 503}"#, "never apply to /mock"),
        (#"{"status": 503, "probability": 2}"#, "probability"),
        (#"{"status": 503, "maxCount": -1}"#, "maxCount"),
        (#"{"amqp": "explode"}"#, "amqp must be"),
        (#"{"latencyMs": 10, "pathpattern": "/x"}"#, "unknown field pathpattern"),
    ])
    func invalidRulesAre400JSON(body: String, says: String) throws {
        let server = try TestServer()
        let r = try Self.add(server.client(), body)
        #expect(r.status == 400)
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        let error = try JSONDecoder().decode([String: String].self, from: Data(r.body))["error"] ?? ""
        #expect(error.contains(says), "\(error)")
    }

    @Test func noRulesIsTheEmptyFastPath() {
        let faults = Faults()
        #expect(faults.isEmpty)
        #expect(faults.decide(method: "GET", path: "/api/org") { Issue.record("orgs asked"); return [] } == nil)
    }

    @Test func probabilityUsesTheDraw() throws {
        let faults = Faults(draw: { 0.3 })
        _ = try faults.add(Array(#"{"status": 503, "probability": 0.5}"#.utf8)) { _ in nil }
        _ = try faults.add(Array(#"{"status": 502, "probability": 0.2}"#.utf8)) { _ in nil }
        #expect(faults.decide(method: "GET", path: "/api/x") { [] } == .status(503, minorErrorCode: "SERVICE_UNAVAILABLE",
                                                                            message: "Injected fault: 503 from a /mock/faults rule."))
        #expect(faults.all.map(\.hits) == [1, 0])
        #expect(faults.decide(method: "GET", path: "/mock/health") { [] } == nil)
    }

    @Test func aboutNoLongerListsFaultsAsMissing() throws {
        let server = try TestServer()
        let r = try server.client().send("GET", "/mock/about")
        #expect(r.status == 200)
        #expect(!r.text.contains("/mock/faults (fault injection)"))
        #expect(r.text.contains("ControlFaults.add"))
    }
}
