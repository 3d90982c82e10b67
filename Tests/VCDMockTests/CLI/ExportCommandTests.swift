import Foundation
import Testing
import VCDCore
import VCDFixtures

/// `vcd-mock export` and `vcd-mock check-fixtures`.
@Suite(.serialized) struct ExportCommandTests {
    typealias Running = CommandLineTests.Running

    @Test func exportPrintsTheLoadedFixtures() throws {
        let clock = "fixed:2024-05-01T10:00:00.000Z"
        let (code, out, err) = try Running(["export", "--fixtures", TestServer.defaultFixtures],
                                           env: ["VCD_MOCK_CLOCK": clock]).finish()
        #expect(code == 0, "\(err)")
        let now = try #require(Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let direct = try FixtureLoader.load(directory: TestServer.defaultFixtures, now: now)
        #expect(out == FixtureExporter.yaml(direct))
        let back = try FixtureLoader.load(yaml: out, now: Timestamp(milliseconds: 0))
        #expect(back.snapshot == direct.snapshot)
        #expect(FixtureExporter.yaml(back) == out, "load → export → load gives an identical export")
        // Without --fixtures: the default directory (working directory is the repository root).
        let (code2, out2, _) = try Running(["export"], env: ["VCD_MOCK_CLOCK": clock]).finish()
        #expect(code2 == 0)
        #expect(out2 == out)
    }

    @Test func checkFixturesExitsZeroOnGoodAndTwoWithFileLineOnBroken() throws {
        let (code, out, _) = try Running(["check-fixtures", TestServer.defaultFixtures]).finish()
        #expect(code == 0)
        #expect(out.contains("ok (3 orgs"), "\(out)")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcd-mock-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "orgs:\n  - name: System\n    users:\n      - name: a\n        password: b\n        role: boss\n"
            .write(to: dir.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        let (bad, _, err) = try Running(["check-fixtures", dir.path]).finish()
        #expect(bad == 2)
        #expect(err.contains(dir.appendingPathComponent("x.yaml").path + ":6:"), "\(err)")
        let (exportBad, _, _) = try Running(["export", "--fixtures", dir.path]).finish()
        #expect(exportBad == 2)
        let (missing, _, _) = try Running(["check-fixtures"]).finish()
        #expect(missing != 0, "a directory is required")
    }

    @Test func helpMentionsTheSubcommands() throws {
        let (code, out, _) = try Running(["--help"]).finish()
        #expect(code == 0)
        #expect(out.contains("vcd-mock export"))
        #expect(out.contains("vcd-mock check-fixtures"))
        #expect(out.contains("--fixtures"))
        let (code2, out2, _) = try Running(["export", "--help"]).finish()
        #expect(code2 == 0)
        #expect(out2.contains("--fixtures"))
    }
}
