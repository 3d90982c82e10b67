import Testing
import VCDHTTP

/// The router binds `{name}` segments percent-decoded, and only decodes when a segment has an escape.
@Suite struct RouterTests {
    func router() -> Router<Int> {
        var r = Router<Int>()
        r.add("GET", "/api/org/{id}", name: "org", 1)
        r.add("GET", "/api/org", name: "orgs", 2)
        return r
    }

    func bound(_ path: String) -> String? {
        guard case .found(let route, let parameters) = router().match(method: "GET", path: path), route.handler == 1 else { return nil }
        return parameters["id"]
    }

    @Test func plainParametersAreBoundAsSent() {
        #expect(bound("/api/org/0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3") == "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3")
        #expect(bound("/api/org/26/") == "26")
        #expect(bound("/api/org/a+b") == "a+b")
    }

    @Test func escapedParametersAreDecoded() {
        #expect(bound("/api/org/%32%36") == "26")
        #expect(bound("/api/org/a%20b") == "a b")
        // A malformed escape stays as sent.
        #expect(bound("/api/org/%zz1") == "%zz1")
    }

    @Test func otherMethodsAndPathsDoNotMatch() {
        if case .methodNotAllowed(let allowed) = router().match(method: "POST", path: "/api/org/26") {
            #expect(allowed == ["GET"])
        } else {
            Issue.record("POST /api/org/26 was not 405")
        }
        if case .notFound = router().match(method: "GET", path: "/api/org/26/x") {} else { Issue.record("a deeper path matched") }
    }
}
