import Foundation
import Testing
import VCDCore
import VCDFixtures
import VCDMock
import VCDXML

/// `GET/PUT /mock/state` and `POST /mock/fixtures`.
@Suite struct StateTests: TaskTestSupport {
    func state(_ c: TestClient) throws -> String {
        let r = try c.send("GET", "/mock/state")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/yaml")
        return r.text
    }

    func put(_ c: TestClient, _ yaml: String, _ path: String = "/mock/state", method: String = "PUT") throws -> TestClient.Response {
        try c.send(method, path, headers: ["Content-Type": "application/yaml"], body: Array(yaml.utf8))
    }

    @Test func getExportsEverythingAndLoadsBack() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        _ = try createTask(admin)
        let c = server.client()
        let yaml = try state(c)
        for key in ["orgs:", "users:", "tasks:", "events:", "settings:", "notifications:"] {
            #expect(yaml.contains(key), "export has \(key)")
        }
        let loaded = try FixtureLoader.load(yaml: yaml, now: Timestamp(milliseconds: 0))
        #expect(loaded.snapshot == server.app.store.snapshot())
    }

    @Test func putReplacesTheStateAndResetGoesBackToIt() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try alice.send("GET", "/api/org/26").text.contains("Acme"))
        let c = server.client()
        let original = try state(c)
        let changed = original.replacingOccurrences(of: "fullName: \"Acme Corporation\"", with: "fullName: \"Acme Renamed\"")
        #expect(changed != original)
        let r = try put(c, changed)
        #expect(r.status == 200, "\(r.text)")
        #expect(try alice.send("GET", "/api/org").status == 401, "sessions end")
        let again = try server.alice()
        #expect(try again.send("GET", "/api/org/26").text.contains("Acme Renamed"), "no stale cached org document")
        _ = try createTask(try server.sysadmin())
        #expect(try c.send("POST", "/mock/reset").status == 200)
        #expect(try state(c) == changed, "the PUT state is what reset goes back to")
    }

    @Test func brokenPutLeavesTheStateUntouched() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let c = server.client()
        let before = try state(c)
        let broken = before.replacingOccurrences(of: "role: \"org administrator\"", with: "role: \"boss\"")
        let r = try put(c, broken)
        #expect(r.status == 400)
        #expect(r.text.contains("body:"), "\(r.text)")
        #expect(r.text.contains("role 'boss' is unknown"))
        #expect(try put(c, "orgs: [").status == 400)
        #expect(try put(c, "orgs:\n  - name: acme\n    users: []\n").status == 400, "no System org")
        #expect(try state(c) == before)
        #expect(try alice.send("GET", "/api/org").status == 200, "sessions kept")
    }

    @Test func postFixturesAddsOrgsAllOrNothing() throws {
        let server = try TestServer()
        let c = server.client()
        let extra = """
            orgs:
              - name: initech
                users: [{ name: peter, password: tps, role: org administrator }]
                vdcs: [{ name: initech-vdc }]
            """
        let r = try put(c, extra, "/mock/fixtures", method: "POST")
        #expect(r.status == 201, "\(r.text)")
        #expect(r.text.contains("initech"))
        let peter = try server.login("peter", "initech", "tps")
        #expect(try peter.send("GET", "/api/org").text.contains("initech"))

        let orgs = server.app.store.counts()["orgs"]
        let conflicting = """
            orgs:
              - name: hooli
                users: [{ name: gavin, password: g }]
              - name: INITECH
            """
        let conflict = try put(c, conflicting, "/mock/fixtures", method: "POST")
        #expect(conflict.status == 409, "\(conflict.text)")
        let sameID = "orgs:\n  - name: hooli\n    id: \"26\"\n"
        #expect(try put(c, sameID, "/mock/fixtures", method: "POST").status == 409)
        #expect(server.app.store.counts()["orgs"] == orgs, "nothing applied")
        #expect(try put(c, "orgs:\n  - name: x\n    colour: red\n", "/mock/fixtures", method: "POST").status == 400)

        // Added orgs are part of what a reset goes back to, and reset on their own.
        #expect(try c.send("POST", "/mock/reset").status == 200)
        #expect(try c.send("POST", "/mock/orgs/initech/reset").status == 200)
        #expect(try server.login("peter", "initech", "tps").send("GET", "/api/org").status == 200)
    }

    @Test func aboutNoLongerListsStateEndpointsAsMissing() throws {
        let server = try TestServer()
        let text = try server.client().send("GET", "/mock/about").text
        #expect(!text.contains("POST /mock/reset and"))
        #expect(text.contains("ControlState.put"))
    }
}
