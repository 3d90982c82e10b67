import Dispatch
import Foundation
import Testing
import VCDCore
import VCDHTTP
@testable import VCDMock

private func requests(_ c: TestClient, _ query: String = "") throws -> (entries: [[String: Any]], json: [String: Any]) {
    let r = try c.send("GET", "/mock/requests" + query)
    guard r.status == 200, let json = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
          let entries = json["requests"] as? [[String: Any]] else {
        throw TestFailure("GET /mock/requests\(query): \(r.status) \(r.text)")
    }
    return (entries, json)
}

@Suite struct JournalTests {
    @Test func recordsEveryHandledRequestWithItsDetails() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let got = try alice.send("GET", "/api/org/26?x=1")
        #expect(got.status == 200)
        _ = try alice.send("GET", "/api/nothing")
        let c = server.client()
        c.accept = nil
        let (entries, json) = try requests(c)
        #expect(entries.count == 3)
        #expect(json["dropped"] as? Int == 0)
        #expect(json["capacity"] as? Int == 10_000)
        #expect(entries.map { $0["path"] as? String } == ["/api/sessions", "/api/org/26", "/api/nothing"])
        let org = entries[1]
        #expect(org["method"] as? String == "GET")
        #expect(org["query"] as? String == "x=1")
        #expect(org["status"] as? Int == 200)
        #expect(org["org"] as? String == "acme")
        #expect(org["user"] as? String == "alice")
        #expect(org["requestId"] as? String == got.header("X-VMWARE-VCLOUD-REQUEST-ID"))
        #expect((org["durationMicros"] as? Int).map { $0 >= 0 } == true)
        #expect((org["time"] as? String).flatMap(Timestamp.init(iso8601:)) != nil)
        #expect(entries[0]["org"] is NSNull, "login is anonymous")
        #expect(entries[2]["status"] as? Int == 404)
    }

    @Test func filtersByMethodPathStatusOrgAndLimit() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let bob = try server.bob()
        for _ in 0..<3 { _ = try alice.send("GET", "/api/org") }
        _ = try bob.send("GET", "/api/org")
        _ = try bob.send("DELETE", "/api/org")
        _ = try bob.send("GET", "/api/session")
        let c = server.client()
        c.accept = nil
        #expect(try requests(c, "?method=post").entries.count == 2)
        #expect(try requests(c, "?method=DELETE").entries.count == 1)
        #expect(try requests(c, "?path=/api/org").entries.count == 5)
        #expect(try requests(c, "?path=/api/session").entries.count == 3, "prefix: /api/sessions too")
        #expect(try requests(c, "?status=405").entries.map { $0["method"] as? String } == ["DELETE"])
        #expect(try requests(c, "?status=4xx").entries.count == 1)
        #expect(try requests(c, "?status=2xx&path=/api").entries.count == 7, "/mock/requests itself is journaled too")
        #expect(try requests(c, "?org=ACME").entries.count == 3)
        #expect(try requests(c, "?org=globex&method=GET").entries.map { $0["path"] as? String } == ["/api/org", "/api/session"])
        #expect(try requests(c, "?path=/api&limit=2").entries.map { $0["path"] as? String } == ["/api/org", "/api/session"], "the newest")
        #expect(try requests(c, "?limit=0").entries.isEmpty)
        #expect(try c.send("GET", "/mock/requests?limit=-1").status == 400)
        #expect(try c.send("GET", "/mock/requests?status=abc").status == 400)
    }

    @Test func deleteClearsIt() throws {
        let server = try TestServer(config: AppConfig(journalSize: 2))
        let c = server.client()
        c.accept = nil
        for _ in 0..<5 { _ = try c.send("GET", "/api/versions") }
        #expect(try requests(c).json["dropped"] as? Int == 3, "5 requests in a ring of 2 (a request is journaled once answered)")
        let d = try c.send("DELETE", "/mock/requests")
        #expect(d.status == 204)
        let (entries, json) = try requests(c)
        #expect(entries.map { $0["method"] as? String } == ["DELETE"])
        #expect(json["dropped"] as? Int == 0)
    }

    @Test func staysWithinItsBoundOverHTTP() throws {
        let server = try TestServer(config: AppConfig(journalSize: 100))
        let c = server.client()
        for _ in 0..<5_000 { _ = try c.send("GET", "/api/versions") }
        c.accept = nil
        let (entries, json) = try requests(c)
        #expect(entries.count == 100)
        #expect(json["kept"] as? Int == 100)
        #expect(json["dropped"] as? Int == 4_900)
    }

    /// 100k requests from 8 threads straight into App (no sockets): the ring holds exactly its bound, in order.
    @Test func staysWithinItsBoundUnder100kConcurrentRequests() throws {
        let app = App(store: Store(orgs: []), config: AppConfig(journalSize: 1_000), logger: TestServer.logger())
        let threads = 8, each = 12_500
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<each { _ = app.handle(HTTPRequest(method: "GET", path: "/api/versions", query: "t=\(t)&i=\(i)")) }
        }
        let (entries, dropped) = app.journal.snapshot()
        #expect(entries.count == 1_000)
        #expect(dropped == 99_000)
        // Every thread's entries stay in its own order.
        var last: [String: Int] = [:]
        for e in entries {
            let items = HTTPRequest(method: "GET", path: "/", query: e.query).queryItems
            let t = items["t"] ?? "", i = Int(items["i"] ?? "") ?? -1
            #expect(i > last[t, default: -1])
            last[t] = i
        }
    }

    @Test func ringWrapsInOrder() {
        let j = RequestJournal(capacity: 3)
        for n in 0..<7 {
            j.record(JournalEntry(time: Timestamp(milliseconds: Int64(n)), method: "GET", path: "/\(n)", query: nil, status: 200,
                                  micros: 1, org: nil, user: nil, requestID: "\(n)"))
        }
        let (entries, dropped) = j.snapshot()
        #expect(entries.map(\.path) == ["/4", "/5", "/6"])
        #expect(dropped == 4)
        j.clear()
        #expect(j.snapshot().entries.isEmpty)
        #expect(j.snapshot().dropped == 0)
    }

    /// Texts that fit inline and texts that do not (a shared block, or a block of their own past 64 KB) read
    /// back the same, as do a missing query, org or user, and a request id that is not a UUID.
    @Test func everyTextReadsBackAsRecorded() {
        #expect(RequestJournal.recordBytes == 128, "two cache lines a request, on average")
        let j = RequestJournal(capacity: 8)
        let uuid = "0b9c3f1e-5a4d-4e2b-9c1d-7f6e5d4c3b2a"
        let entries = [
            JournalEntry(time: Timestamp(milliseconds: 1), method: "GET", path: "/api/org/\(uuid)", query: nil, status: 200,
                         micros: 7, org: "acme", user: "alice", requestID: uuid),
            JournalEntry(time: Timestamp(milliseconds: 2), method: "PROPFIND", path: "/" + String(repeating: "p", count: 300),
                         query: "a=1&" + String(repeating: "q", count: 200), status: 405, micros: UInt64.max, org: "Ünïcödé 組織",
                         user: nil, requestID: "not-a-uuid"),
            JournalEntry(time: Timestamp(milliseconds: -3), method: "POST", path: "/x", query: "", status: 599, micros: 0,
                         org: nil, user: "", requestID: uuid.uppercased()),
            JournalEntry(time: Timestamp(milliseconds: 4), method: "GET", path: "/" + String(repeating: "long", count: 20_000),
                         query: nil, status: 200, micros: 1, org: "o", user: "u", requestID: uuid),
        ]
        for e in entries { j.record(e) }
        let got = j.snapshot().entries
        #expect(got.count == entries.count)
        for (g, e) in zip(got, entries) {
            #expect(g.time == e.time && g.method == e.method && g.path == e.path && g.query == e.query)
            #expect(g.status == e.status && g.micros == e.micros && g.org == e.org && g.user == e.user)
            #expect(g.requestID == e.requestID)
        }
    }

    /// Texts at the inline bound (80 bytes encoded: inline; 81: the block), lengths around a one-byte LEB128
    /// length, and enough long ones to fill a 64 KB block and go on in the next, all read back.
    @Test func textsAtTheBoundsAndAcrossBlocksReadBack() {
        let j = RequestJournal(capacity: 400)
        func entry(_ n: Int, _ path: String) -> JournalEntry {
            JournalEntry(time: Timestamp(milliseconds: Int64(n)), method: "GET", path: path, query: nil, status: 200,
                         micros: UInt64(n), org: nil, user: nil, requestID: "id-\(n)")
        }
        // method 4 + path (1 + n) + query, org, user 1 each + id "id-0" 5: n = 67 encodes to exactly 80.
        var paths = [String(repeating: "a", count: 67), String(repeating: "b", count: 68)]
        paths += [125, 126, 127, 128, 300].map { String(repeating: "c", count: $0) }
        paths += (0..<300).map { "/" + String(repeating: Character(String(UnicodeScalar(UInt8(97 + $0 % 26)))), count: 499) }
        for (n, p) in paths.enumerated() { j.record(entry(n < 10 ? 0 : n, p)) }
        let got = j.snapshot().entries
        #expect(got.map(\.path) == paths)
        #expect(got.enumerated().allSatisfy { n, e in e.requestID == "id-\(n < 10 ? 0 : n)" && e.query == nil && e.org == nil })
    }
}
