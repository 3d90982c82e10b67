import Foundation
import Testing
import VCDMock

@Suite struct OpenAPITests {
    static let file = TestServer.repoRoot + "/Sources/VCDMock/Control/control-api.yaml"

    @Test func servedDocumentIsTheOpenAPIDocument() throws {
        let server = try TestServer()
        let c = server.client()
        c.accept = nil
        let r = try c.send("GET", "/mock/openapi.yaml")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/yaml")
        #expect(r.text.hasPrefix("openapi: 3."), "the served body is the OpenAPI document")
    }

    @Test func everyMockRouteIsDocumented() throws {
        let server = try TestServer()
        let text = try String(contentsOfFile: Self.file, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let routes = server.app.routeTable.filter { $0.pattern.hasPrefix("/mock/") }
        #expect(routes.count >= 9)
        for route in routes {
            guard let at = lines.firstIndex(of: "  \(route.pattern):") else {
                Issue.record("\(route.pattern) is not under paths in control-api.yaml")
                continue
            }
            // The operations of a path follow it, indented by four spaces, up to the next path.
            let block = lines[(at + 1)...].prefix { $0.hasPrefix("    ") }
            #expect(block.contains("    \(route.method.lowercased()):"), "\(route.method) \(route.pattern) documented")
        }
    }
}
