import Testing
import VCDHTTP

/// `HTTPRequest` shares one storage object between copies: still a value, so a copy changed is not the original.
@Suite struct HTTPRequestTests {
    @Test func aChangedCopyLeavesTheOriginalAlone() {
        let original = HTTPRequest(method: "GET", path: "/api/org/26", query: "a=1",
                                   headers: [HTTPHeader("Host", "h")], body: [1, 2])
        var copy = original
        copy.method = "POST"
        copy.path = "/x"
        copy.query = nil
        copy.headers.append(HTTPHeader("Accept", "*/*"))
        copy.body.append(3)
        copy.violation = .missingHost
        #expect(original.method == "GET" && original.path == "/api/org/26" && original.query == "a=1")
        #expect(original.headers.count == 1 && original.body == [1, 2] && original.violation == nil)
        #expect(copy.method == "POST" && copy.path == "/x" && copy.query == nil)
        #expect(copy.headers.count == 2 && copy.body == [1, 2, 3] && copy.header("accept") == "*/*")
    }
}
