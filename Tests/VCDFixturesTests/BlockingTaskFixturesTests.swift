import Foundation
import Testing
import VCDCore
import VCDFixtures

/// The top-level `blockingTasks:` (Fixtures/README.md): loaded, exported only when not the defaults, read
/// back the same; mistakes at their line.
@Suite struct BlockingTaskFixturesTests {
    /// Lines 1-6 are the System org; `blockingTasks:` is line 7.
    static func yaml(_ body: String) -> String { FixtureLoaderTests.system + "blockingTasks:\n" + body }

    func load(_ yaml: String) throws -> Fixtures { try FixtureLoader.load(yaml: yaml, file: "b.yaml", now: FixtureLoaderTests.now) }

    @Test func loadsExportsAndReadsBack() throws {
        let f = try load(Self.yaml("""
              timeoutAction: resume
              timeoutMillis: 30000
              operations: [vdcInstantiateVapp, vappPowerOff]

            """))
        #expect(f.blockingTaskSettings == BlockingTaskSettings(timeoutAction: .resume, operations: ["vdcInstantiateVapp", "vappPowerOff"],
                                                                timeoutMillis: 30000))
        let text = FixtureExporter.yaml(f)
        #expect(text.contains("blockingTasks:"))
        #expect(try load(text).snapshot == f.snapshot)
        // The defaults are not written: exports of clouds that never blocked anything stay as they were.
        #expect(!FixtureExporter.yaml(try load(FixtureLoaderTests.system)).contains("blockingTasks"))
    }

    @Test func mistakesNameTheirLine() throws {
        for (body, line, problem) in [("  timeoutAction: later\n", 8, "timeoutAction \"later\" is not resume, abort or fail"),
                                      ("  timeoutMillis: -5\n", 8, "timeoutMillis must be 0 or more"),
                                      ("  operations: vdcInstantiateVapp\n", 8, "operations must be a list"),
                                      ("  timeout: 5\n", 8, "")] {
            do {
                _ = try load(Self.yaml(body))
                Issue.record("\(body) loaded")
            } catch let error as FixtureError {
                #expect(error.file == "b.yaml" && error.line == line && error.problem.hasPrefix(problem), "\(body): \(error)")
            } catch {
                Issue.record("\(body): \(error)")
            }
        }
    }
}
