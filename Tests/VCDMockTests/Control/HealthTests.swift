import Foundation
import Testing
import VCDCore
import VCDMock
import VCDXML

private func object(_ r: TestClient.Response) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
}

@Suite struct HealthTests {
    @Test func healthIsOKWithCountsAMQPAndBridgeStats() throws {
        let server = try TestServer()
        _ = try server.alice()
        let c = server.client()
        c.accept = nil
        let r = try c.send("GET", "/mock/health")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/json")
        let json = try object(r)
        #expect(json["status"] as? String == "ok")
        #expect(json["fixturesLoaded"] as? Bool == true)
        #expect(json["serving"] as? Bool == true)
        let counts = try #require(json["counts"] as? [String: Int])
        for key in ["orgs", "users", "tasks", "sessions", "services", "events"] {
            #expect(counts[key] != nil, "counts has \(key)")
        }
        #expect(counts["orgs"] == 3)
        #expect(counts["sessions"] == 1)
        #expect(counts["events"] == 1, "alice's login event")
        let amqp = try #require(json["amqp"] as? [String: Any])
        for key in ["connected", "outboxDepth", "unconfirmed", "returned"] { #expect(amqp[key] != nil, "amqp has \(key)") }
        #expect(amqp["connected"] as? Bool == false)
        let ext = try #require(json["extensions"] as? [String: Any])
        #expect(ext["forwarded"] as? Int == 0)
    }

    /// In-process on purpose: the binary never serves without fixtures (it refuses to start without a System
    /// org, and PUT /mock/state needs one), so no real server can be brought to this branch.
    @Test func healthIs503WithoutFixtures() throws {
        let app = App(store: Store(orgs: []), logger: TestServer.logger())
        let r = app.handle(HTTPRequestFixture.get("/mock/health"))
        #expect(r.status == 503)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        #expect(json["fixturesLoaded"] as? Bool == false)
    }

    @Test func aboutListsVersionAPIVersionsRoutesAndGaps() throws {
        let server = try TestServer()
        let c = server.client()
        c.accept = nil
        let r = try c.send("GET", "/mock/about")
        #expect(r.status == 200)
        let json = try object(r)
        #expect(json["version"] as? String == VCDMockVersion.current)
        #expect(json["apiVersions"] as? [String] == ["1.5", "5.1", "5.5", "29.0", "30.0", "31.0", "32.0", "33.0", "34.0", "35.0", "36.0"])
        let routes = try #require(json["routes"] as? [[String: String]])
        #expect(routes.count == server.app.routeTable.count)
        #expect(routes.contains { $0["method"] == "GET" && $0["pattern"] == "/api/task/{id}" && $0["handler"] == "TaskEndpoints.get" })
        #expect(routes.contains { $0["pattern"] == "/mock/about" && $0["handler"] == "ControlStatus.about" })
        let gaps = try #require(json["notImplemented"] as? [String])
        #expect(gaps.contains { $0.contains("packaged queries") })
    }
}

import VCDHTTP

enum HTTPRequestFixture {
    static func get(_ path: String, query: String? = nil, remote: String = "127.0.0.1", headers: [HTTPHeader] = []) -> HTTPRequest {
        HTTPRequest(method: "GET", path: path, query: query, headers: headers, remoteAddress: remote)
    }
}
