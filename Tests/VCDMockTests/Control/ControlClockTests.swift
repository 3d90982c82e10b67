import Foundation
import Testing
import VCDCore
import VCDXML

/// `GET`/`POST /mock/clock` over HTTP: stop, move and release the clock behind task and event times.
@Suite struct ClockControlTests {
    struct View: Decodable, Equatable {
        let now: String
        let mode: String
    }

    static func post(_ c: TestClient, _ json: String) throws -> TestClient.Response {
        try c.send("POST", "/mock/clock", headers: ["Content-Type": "application/json"], body: Array(json.utf8))
    }

    static func view(_ r: TestClient.Response) throws -> View {
        #expect(r.status == 200, "\(r.text)")
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        return try JSONDecoder().decode(View.self, from: Data(r.body))
    }

    /// Creates a service task the seed-flow way and returns it.
    static func createTask(_ admin: TestClient) throws -> ParsedElement {
        let response = try admin.send("GET", "/api/admin/org/26")
        #expect(response.status == 200, "\(response.text)")
        let org = try response.xml()
        let href = try #require(org.children("Link").first { $0["rel"] == "task:create" }?["href"])
        let posted = try admin.send("POST", href, xml: """
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" \
            serviceNamespace="org.example.vcd.backup" operation="Backup in progress"/>
            """, contentType: MediaType.task)
        #expect(posted.status == 200, "\(posted.text)")
        return try posted.xml()
    }

    @Test func fixedClockSetsTaskTimesAndMoves() throws {
        let clock = ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let server = try TestServer(clock: clock)
        let c = server.client()
        #expect(try Self.view(c.send("GET", "/mock/clock")) == View(now: "2024-05-01T10:00:00.000Z", mode: "fixed"))

        let admin = try server.sysadmin()
        let first = try Self.createTask(admin)
        #expect(first["startTime"] == "2024-05-01T10:00:00.000Z")

        #expect(try Self.view(Self.post(c, #"{"advance": "PT5S"}"#)) == View(now: "2024-05-01T10:00:05.000Z", mode: "fixed"))
        #expect(try Self.view(Self.post(c, #"{"advance": 250}"#)) == View(now: "2024-05-01T10:00:05.250Z", mode: "fixed"))
        #expect(try Self.createTask(admin)["startTime"] == "2024-05-01T10:00:05.250Z")

        #expect(try Self.view(Self.post(c, #"{"set": "2024-05-01T10:20:00Z"}"#))
                == View(now: "2024-05-01T10:20:00.000Z", mode: "fixed"))
        #expect(try Self.createTask(admin)["startTime"] == "2024-05-01T10:20:00.000Z")
        #expect(try Self.view(c.send("GET", "/mock/clock")).now == "2024-05-01T10:20:00.000Z")

        let before = SystemClock().now()
        let released = try Self.view(Self.post(c, #"{"release": true}"#))
        #expect(released.mode == "real")
        let now = try #require(Timestamp(iso8601: released.now))
        #expect(now >= before && now.milliseconds - before.milliseconds < 60_000)
        // The session was last used at 10:20 on 2024-05-01 by the clock; in real time it has long been idle: log in again.
        #expect(try admin.send("GET", "/api/session").status == 401)
        let start = try #require(Timestamp(iso8601: Self.createTask(server.sysadmin())["startTime"] ?? ""))
        #expect(start >= before)
    }

    @Test func eventTimesFollowTheFixedClock() throws {
        let clock = ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let server = try TestServer(clock: clock)
        let c = server.client()
        _ = try Self.post(c, #"{"set": "2024-06-01T00:00:00.000Z"}"#)
        _ = try server.sysadmin()  // a login event
        let events = try c.send("GET", "/mock/events")
        #expect(events.status == 200)
        #expect(events.text.contains("\"timestamp\":\"2024-06-01T00:00:00.000Z\""), "\(events.text.prefix(400))")
    }

    @Test func aRealClockCanRunAhead() throws {
        let server = try TestServer(clock: ControlledClock())
        let c = server.client()
        #expect(try Self.view(c.send("GET", "/mock/clock")).mode == "real")
        let before = SystemClock().now()
        let ahead = try Self.view(Self.post(c, #"{"advance": "P1D"}"#))
        #expect(ahead.mode == "real")
        let now = try #require(Timestamp(iso8601: ahead.now))
        #expect(now.milliseconds - before.milliseconds >= 86_400_000)
        let back = try #require(Timestamp(iso8601: Self.view(Self.post(c, #"{"release": true}"#)).now))
        #expect(back.milliseconds - before.milliseconds < 60_000)
    }

    @Test(arguments: ["", "nope", "[]", "{}", #"{"set": "yesterday"}"#, #"{"advance": "5 seconds"}"#, #"{"advance": true}"#,
                      #"{"advance": 1.5}"#, #"{"release": false}"#, #"{"release": 1}"#, #"{"freeze": true}"#,
                      #"{"set": "2024-05-01T10:00:00Z", "release": true}"#])
    func badBodiesAre400JSON(_ body: String) throws {
        let clock = ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let server = try TestServer(clock: clock)
        let r = try Self.post(server.client(), body)
        #expect(r.status == 400, "\(body) -> \(r.status) \(r.text)")
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
        let error = try JSONDecoder().decode([String: String].self, from: Data(r.body))["error"]
        #expect(error?.isEmpty == false)
        #expect(clock.now().iso8601 == "2024-05-01T10:00:00.000Z", "a bad body changes nothing")
    }

    @Test func anUncontrollableClockIsReadableButNotMovable() throws {
        let server = try TestServer()
        let c = server.client()
        #expect(try Self.view(c.send("GET", "/mock/clock")).mode == "real")
        let r = try Self.post(c, #"{"advance": "PT5S"}"#)
        #expect(r.status == 409)
        #expect(r.header("Content-Type")?.hasPrefix("application/json") == true)
    }
}
