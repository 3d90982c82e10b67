import Foundation
import Testing
import VCDFixtures
@testable import VCDCore
@testable import VCDMock

/// Issue 11 goal 7: expired sessions are freed without being used again, both `/api/sessions` ones and
/// cloudapi ones (with their JWT), when the clock moves (`POST /mock/clock`) and by the background timer.
@Suite struct SessionSweepTests {
    static func accessTokens(_ store: Store) -> Int { store.state.withLock { $0.accessTokens.count } }
    static func sessions(_ store: Store) -> Int { store.counts()["sessions"] ?? -1 }

    @Test func advancingTheClockPastTheIdleTimeoutEndsEveryIdleSession() throws {
        let clock = ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let server = try TestServer(clock: clock)
        let store = server.app.store
        let c = server.client()
        var tokens: [String] = []
        for _ in 0..<300 {
            let r = try c.send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("alice@acme:alice")])
            try #require(r.status == 200, "\(r.text)")
            tokens.append(try #require(r.header("x-vcloud-authorization")))
        }
        for _ in 0..<20 {
            let (r, login) = try CloudAPISessionsTests.login(server, "bob@globex:bob")
            _ = try #require(login, "\(r.status) \(r.text)")
        }
        #expect(Self.sessions(store) == 320)
        #expect(Self.accessTokens(store) == 20)
        // 20 minutes idle: nothing expires (the timeout is 30); one session is used and so stays fresh.
        #expect(try c.send("POST", "/mock/clock", body: Array(#"{"advance": "PT20M"}"#.utf8)).status == 200)
        #expect(Self.sessions(store) == 320)
        let kept = server.client()
        kept.token = tokens[0]
        #expect(try kept.send("GET", "/api/org").status == 200)
        // 20 more: all but the used one are idle for 40 minutes and end without ever being presented.
        #expect(try c.send("POST", "/mock/clock", body: Array(#"{"advance": "PT20M"}"#.utf8)).status == 200)
        #expect(Self.sessions(store) == 1)
        #expect(Self.accessTokens(store) == 0, "the JWTs of ended cloudapi sessions go with them")
        #expect(try kept.send("GET", "/api/org").status == 200)
        #expect(try c.send("POST", "/mock/clock", body: Array(#"{"advance": "PT31M"}"#.utf8)).status == 200)
        #expect(Self.sessions(store) == 0)
    }

    @Test func theBackgroundTimerSweepsWithoutAnyRequest() throws {
        let clock = ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let loaded = try FixtureLoader.load(directory: TestServer.defaultFixtures, now: clock.now())
        let store = Store(orgs: loaded.orgs, clock: clock)
        for _ in 0..<100 { _ = try store.login(user: "alice", org: "acme", password: "alice") }
        let sweeper = SessionSweeper(store: store, interval: 0.02)
        defer { _ = sweeper }
        clock.advance(milliseconds: 31 * 60_000)
        try waitUntil("the timer ended the 100 expired sessions") { Self.sessions(store) == 0 }
    }
}
