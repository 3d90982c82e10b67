import Foundation
import Testing
import VCDHTTP
import VCDXML

/// Requests libmicrohttpd refuses before the handler sees them (a Content-Length it cannot read, a
/// malformed header line, a head larger than its memory pool) get the vCD error of their path family,
/// exactly once, and the connection is closed (early.c, README "Limits and hardening").
@Suite struct RefusedRequestTests {
    /// Everything the server sends on a fresh connection for these bytes, until it closes it.
    static func exchange(_ server: TestServer, _ head: [UInt8]) throws -> [UInt8] {
        let c = try RawConnection(port: server.server.port)
        c.send(head)
        guard let bytes = c.readUntilClosed(within: 5) else { throw TestFailure("the server kept the connection open") }
        return bytes
    }

    static func exchange(_ server: TestServer, _ head: String) throws -> [UInt8] { try exchange(server, Array(head.utf8)) }

    /// The one response in `bytes`: its Content-Length must account for every byte after the head, so a
    /// second response (MHD's own page) or stray bytes fail here.
    static func onlyResponse(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> TestClient.Response {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { throw TestFailure("no response head in \(text.prefix(200))") }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let body = Array(text[end.upperBound...].utf8)
        let response = TestClient.Response(status: status, headers: headers, body: body)
        #expect(text.components(separatedBy: "HTTP/1.1 ").count == 2, "exactly one response: \(text)", sourceLocation: sourceLocation)
        #expect(Int(response.header("Content-Length") ?? "") == body.count, "nothing after the one body: \(text)",
                sourceLocation: sourceLocation)
        #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
        return response
    }

    static func json(_ r: TestClient.Response) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] ?? [:]
    }

    @Test func aNegativeContentLengthIsOne400VCDError() throws {
        let server = try TestServer()
        let r = try Self.onlyResponse(Self.exchange(server, "POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"))
        let error = try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(error["message"]?.contains("Content-Length") == true)
        #expect(server.server.connectionStats.answeredEarly == 1)
        try expectServerStillAnswers(server)
    }

    @Test func aTwentyDigitContentLengthIsOne413InJSONOnCloudAPI() throws {
        let server = try TestServer()
        let r = try Self.onlyResponse(Self.exchange(server, "POST /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"))
        #expect(r.status == 413)
        #expect(r.header("Content-Type") == "application/json")
        #expect(Self.json(r)["minorErrorCode"] as? String == "REQUEST_ENTITY_TOO_LARGE")
        #expect((Self.json(r)["message"] as? String)?.contains("--max-body") == true)
    }

    @Test func aMalformedHeaderLineOnTheControlAPIIsOne400InItsJSON() throws {
        let server = try TestServer()
        let r = try Self.onlyResponse(Self.exchange(server, "GET /mock/health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"))
        #expect(r.status == 400)
        #expect(r.header("Content-Type") == "application/json")
        #expect(Self.json(r)["error"] != nil, "the control API's error shape: \(r.text)")
    }

    /// Heads past MHD's 32 KiB connection pool, which the handler never sees.
    @Test func headsLargerThanTheConnectionMemoryAreVCDErrors() throws {
        let server = try TestServer()
        let header = try Self.onlyResponse(Self.exchange(server, "GET /api/versions HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n"))
        #expect(try expectVCDError(header, 431, "BAD_REQUEST")["message"]?.contains("--max-header-bytes") == true)
        let url = try Self.onlyResponse(Self.exchange(server, "GET /api/\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try expectVCDError(url, 414, "BAD_REQUEST")["message"]?.contains("--max-url-bytes") == true)
        let many = (0..<10_000).map { "X-\($0): y\r\n" }.joined()
        let fields = try Self.onlyResponse(Self.exchange(server, "GET /cloudapi/1.0.0/sessions HTTP/1.1\r\nHost: x\r\n\(many)\r\n"))
        #expect(fields.status == 431)
        #expect(Self.json(fields)["minorErrorCode"] as? String == "BAD_REQUEST")
        try expectServerStillAnswers(server)
    }

    /// Other connections of the same worker (idle, half-way through a head, kept alive) do not keep the
    /// logger from finding the refused one, and none of them gets its answer.
    @Test func otherConnectionsOnTheWorkerDoNotConfuseTheAnswer() throws {
        let server = try TestServer(threads: 1)
        let idle = try (0..<4).map { _ in try RawConnection(port: server.server.port) }
        let partial = try (0..<4).map { _ in try RawConnection(port: server.server.port) }
        for c in partial { c.send("GET /api/versions HTTP/1.1\r\nHost: x\r\nX-Half: ") }
        let kept = server.client()
        #expect(try kept.send("GET", "/api/versions").status == 200)
        try waitUntil("9 connections open", seconds: 5) { server.server.connectionStats.open == 9 }
        for length in ["-1", "1x", "99999999999999999999"] {
            let r = try Self.onlyResponse(Self.exchange(server, "POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: \(length)\r\n\r\n"))
            #expect(r.status == (length.count == 20 ? 413 : 400))
            #expect(r.header("Content-Type") == versioned(MediaType.error))
        }
        #expect(server.server.connectionStats.answeredEarly == 3)
        // The bystanders are untouched: each finishes its request normally.
        for c in partial { c.send("y\r\nAccept: application/*+xml;version=5.5\r\nConnection: close\r\n\r\n") }
        for c in partial {
            let text = String(decoding: c.readUntilClosed(within: 5) ?? [], as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 "), "a bystander got: \(text.prefix(120))")
        }
        #expect(try kept.send("GET", "/api/versions").status == 200)
        for c in idle { #expect(c.send("GET /api/versions HTTP/1.1\r\nHost: x\r\n\r\n"), "idle connections stay open") }
    }

    /// A head past the pool while other connections of the same worker are half-way through a head (431)
    /// or idle (414): the refused one is told apart by which connection the worker read last (reading.c).
    @Test func aHeadPastThePoolBesideHalfFinishedHeadsIsAVCDError() throws {
        let server = try TestServer(threads: 1)
        let idle = try RawConnection(port: server.server.port)
        let partial = try (0..<2).map { _ in try RawConnection(port: server.server.port) }
        for c in partial { c.send("GET /api/versions HTTP/1.1\r\nHost: x\r\nX-Half: ") }
        try waitUntil("3 connections open", seconds: 5) { server.server.connectionStats.open == 3 }
        let header = try Self.onlyResponse(Self.exchange(server, "GET /api/versions HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n"))
        #expect(try expectVCDError(header, 431, "BAD_REQUEST")["message"]?.contains("--max-header-bytes") == true)
        let url = try Self.onlyResponse(Self.exchange(server, "GET /api/\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(try expectVCDError(url, 414, "BAD_REQUEST")["message"]?.contains("--max-url-bytes") == true)
        #expect(server.server.connectionStats.answeredEarly == 2)
        for c in partial { c.send("y\r\nConnection: close\r\n\r\n") }
        idle.send("GET /api/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        for c in partial + [idle] {
            let text = String(decoding: c.readUntilClosed(within: 5) ?? [], as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 "), "a bystander got: \(text.prefix(120))")
        }
    }

    @Test func overTLSTheAnswerGoesThroughTheSession() throws {
        let server = try TestServer(tls: TLSIdentity.selfSigned(names: ["127.0.0.1"]))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["10", "/usr/bin/openssl", "s_client", "-quiet", "-ign_eof", "-connect", "127.0.0.1:\(server.server.port)"]
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = Pipe()
        try p.run()
        input.fileHandleForWriting.write(Data("POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".utf8))
        let bytes = output.fileHandleForReading.readDataToEndOfFile() // until the server closes
        try? input.fileHandleForWriting.close()
        p.waitUntilExit()
        let r = try Self.onlyResponse(Array(bytes))
        _ = try expectVCDError(r, 400, "BAD_REQUEST")
    }
}
