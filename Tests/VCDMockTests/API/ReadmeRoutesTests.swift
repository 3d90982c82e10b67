import Foundation
import Testing
import VCDMock

/// README's API table is the map a newcomer reads: it must list exactly the `/api` and `/cloudapi` routes
/// the router serves (`/mock` routes are checked against the OpenAPI document in OpenAPITests).
@Suite struct ReadmeRoutesTests {
    /// (method, pattern) pairs of the rows between `<!-- routes:begin -->` and `<!-- routes:end -->`:
    /// methods split on ",", every backticked path in the second column.
    static func documented() throws -> Set<String> {
        let text = try String(contentsOfFile: TestServer.repoRoot + "/README.md", encoding: .utf8)
        guard let begin = text.range(of: "<!-- routes:begin -->"), let end = text.range(of: "<!-- routes:end -->") else {
            throw TestFailure("README.md has no <!-- routes:begin --> … <!-- routes:end --> table")
        }
        var pairs: Set<String> = []
        for line in text[begin.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 3, cells[1] != "methods", !cells[1].hasPrefix("---") else { continue }
            let paths = cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            for method in cells[1].split(separator: ",") {
                for path in paths { pairs.insert("\(method.trimmingCharacters(in: .whitespaces)) \(path)") }
            }
        }
        return pairs
    }

    @Test func readmeTableListsExactlyTheServedRoutes() throws {
        let server = try TestServer()
        let served = Set(server.app.routeTable.filter { !$0.pattern.hasPrefix("/mock") }.map { "\($0.method) \($0.pattern)" })
        let documented = try Self.documented()
        #expect(served.subtracting(documented).sorted() == [], "served but missing from README's table")
        #expect(documented.subtracting(served).sorted() == [], "in README's table but not served")
    }
}
