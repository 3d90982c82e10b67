import Foundation
import Testing
import VCDHTTP

/// Requests the HTTP layer refuses are answered like every vCD error, in the path family's format, and
/// with exactly one response (README "Limits and hardening").
@Suite struct ProtocolErrorsTests {
    static func raw(_ server: TestServer, _ request: String) throws -> TestClient.Response {
        try server.client().exchange(Array(request.utf8))
    }

    static func json(_ r: TestClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    @Test func aTooLongURLIs414AsAVCDError() throws {
        let server = try TestServer()
        let r = try Self.raw(server, "GET /api/\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\nAccept: application/*+xml;version=5.5\r\n\r\n")
        let error = try expectVCDError(r, 414, "BAD_REQUEST")
        #expect(error["message"]?.contains("--max-url-bytes") == true)
        try expectServerStillAnswers(server)
    }

    @Test func tooLargeHeadersAre431InJSONOnCloudAPI() throws {
        let server = try TestServer()
        let headers = (0..<40).map { "X-Filler-\($0): \(String(repeating: "b", count: 500))\r\n" }.joined()
        let r = try Self.raw(server, "GET /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: x\r\n\(headers)\r\n")
        #expect(r.status == 431)
        #expect(r.header("Content-Type") == "application/json")
        #expect(Self.json(r)["minorErrorCode"] as? String == "BAD_REQUEST")
        #expect((Self.json(r)["message"] as? String)?.contains("--max-header-bytes") == true)
        try expectServerStillAnswers(server)
    }

    @Test func anOversizedHeaderOnTheControlAPIIs431InItsJSON() throws {
        let server = try TestServer()
        let r = try Self.raw(server, "GET /mock/health HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "c", count: 20_000))\r\n\r\n")
        #expect(r.status == 431)
        #expect(Self.json(r)["error"] as? String != nil)
    }

    @Test func http11WithoutHostIs400() throws {
        let server = try TestServer()
        let r = try Self.raw(server, "GET /api/versions HTTP/1.1\r\nAccept: application/*+xml;version=5.5\r\n\r\n")
        let error = try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(error["message"]?.contains("Host") == true)
        // HTTP/1.0 has no Host requirement.
        let old = try Self.raw(server, "GET /api/versions HTTP/1.0\r\nAccept: application/*+xml;version=5.5\r\n\r\n")
        #expect(old.status == 200)
    }

    @Test func theLimitsAreConfigurable() throws {
        let server = try TestServer(http: HTTPServerConfig(maxHeaderBytes: 2048, maxURLBytes: 512))
        #expect(try Self.raw(server, "GET /api/\(String(repeating: "a", count: 600)) HTTP/1.1\r\nHost: x\r\n\r\n").status == 414)
        #expect(try Self.raw(server, "GET /api/versions HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 3000))\r\n\r\n").status == 431)
        #expect(try Self.raw(server, "GET /api/versions HTTP/1.1\r\nHost: x\r\nAccept: application/*+xml;version=5.5\r\n\r\n").status == 200)
    }
}
