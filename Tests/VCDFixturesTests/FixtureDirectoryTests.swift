import Foundation
import Testing
import VCDCore
import VCDFixtures

/// A fixture directory: its files are parsed side by side and built in name order, and a problem names its
/// file (and line).
@Suite struct FixtureDirectoryTests {
    func failure(directory: String) -> FixtureError? {
        do {
            _ = try FixtureLoader.load(directory: directory, now: FixtureLoaderTests.now)
            return nil
        } catch {
            return error
        }
    }

    /// Files are parsed side by side, then built in name order: the first problem in that order is the
    /// one reported, even when a later file's YAML is broken too.
    @Test func theFirstProblemInFileOrderWinsOverALaterSyntaxError() throws {
        let dir = try TemporaryDirectory()
        try dir.write("00-system.yaml", FixtureLoaderTests.system)
        try dir.write("10-acme.yaml", "orgs:\n  - name: acme\n    users:\n      - name: alice\n        pasword: x\n")
        try dir.write("20-broken.yaml", "orgs: [unclosed\n")
        for n in 0 ..< 8 { try dir.write("3\(n)-fine.yaml", "orgs:\n  - name: org\(n)\n") }
        let error = try #require(failure(directory: dir.path))
        #expect(error.file == dir.path + "/10-acme.yaml" && error.line == 5)
        try dir.write("10-acme.yaml", "orgs:\n  - name: acme\n")
        let syntax = try #require(failure(directory: dir.path))
        #expect(syntax.file == dir.path + "/20-broken.yaml" && syntax.line != nil)
    }

    /// The directory is built file by file side by side; the result equals one text holding every file's
    /// orgs in order (built one by one), generated task ids included (they count tasks across files).
    @Test func filesBuiltSideBySideEqualOneByOne() throws {
        func orgs(_ names: [String], tasks: Int) -> String {
            names.map { name in
                "  - name: \(name)\n    users:\n      - name: admin\n        password: x\n    tasks:\n"
                    + (0 ..< tasks).map { "      - name: job\($0)\n        user: admin\n        operation: op \($0 % 2)\n" }.joined()
            }.joined()
        }
        let parts = [orgs(["a1", "a2"], tasks: 3), orgs(["b1"], tasks: 2), orgs(["c1", "c2", "c3"], tasks: 1)]
        let dir = try TemporaryDirectory()
        try dir.write("00-system.yaml", FixtureLoaderTests.system)
        for (n, part) in parts.enumerated() { try dir.write("1\(n)-orgs.yaml", "orgs:\n" + part) }
        let sideBySide = try FixtureLoader.load(directory: dir.path, now: FixtureLoaderTests.now)
        let oneByOne = try FixtureLoader.load(yaml: FixtureLoaderTests.system + parts.joined(), now: FixtureLoaderTests.now)
        #expect(sideBySide.orgs == oneByOne.orgs)
        #expect(sideBySide.tasks.count == 11 && sideBySide.tasks == oneByOne.tasks)
        #expect(Set(sideBySide.tasks.map(\.id)).count == 11)
    }

    @Test func manyFilesLoadInNameOrder() throws {
        let dir = try TemporaryDirectory()
        try dir.write("00-system.yaml", FixtureLoaderTests.system)
        for n in (0 ..< 12).reversed() { try dir.write(String(format: "%02d-org.yaml", 10 + n), "orgs:\n  - name: org\(n)\n") }
        let f = try FixtureLoader.load(directory: dir.path, now: FixtureLoaderTests.now)
        #expect(f.orgs.map(\.name) == ["System"] + (0 ..< 12).map { "org\($0)" })
    }

    @Test func errorInALaterFileNamesThatFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("00-system.yaml", FixtureLoaderTests.system)
        try dir.write("10-acme.yaml", "orgs:\n  - name: acme\n    users:\n      - name: alice\n        pasword: x\n")
        let error = try #require(failure(directory: dir.path))
        #expect(error.file == dir.path + "/10-acme.yaml")
        #expect(error.line == 5)
    }

    @Test func duplicateOrgAcrossFilesNamesBothFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("00-system.yaml", FixtureLoaderTests.system + "  - name: acme\n")
        try dir.write("10-acme.yaml", "# again\norgs:\n  - name: acme\n")
        let error = try #require(failure(directory: dir.path))
        #expect(error.description == "\(dir.path)/10-acme.yaml:3: org 'acme' is defined twice (first at \(dir.path)/00-system.yaml:7)")
    }

    @Test func filesLoadInNameOrderAndBothExtensionsCount() throws {
        let dir = try TemporaryDirectory()
        try dir.write("20-b.yml", "orgs:\n  - name: beta\n")
        try dir.write("10-a.yaml", "orgs:\n  - name: alpha\n")
        try dir.write("00-system.yaml", FixtureLoaderTests.system)
        try dir.write("README.md", "orgs: [this is not read")
        let f = try FixtureLoader.load(directory: dir.path, now: FixtureLoaderTests.now)
        #expect(f.orgs.map(\.name) == ["System", "alpha", "beta"])
    }

    @Test func directoryWithoutSystemOrgNamesTheDirectory() throws {
        let dir = try TemporaryDirectory()
        try dir.write("10-acme.yaml", "orgs:\n  - name: acme\n")
        let error = try #require(failure(directory: dir.path))
        #expect(error.description == "\(dir.path): no org named System: nobody could log in as system administrator")
    }

    @Test func directoryWithoutYAMLFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("notes.txt", "orgs: []")
        let error = try #require(failure(directory: dir.path))
        #expect(error.description == "\(dir.path): holds no .yaml or .yml file")
    }

    @Test func missingDirectory() throws {
        let error = try #require(failure(directory: "/nonexistent/vcd-mock-fixtures"))
        #expect(error.file == "/nonexistent/vcd-mock-fixtures")
        #expect(error.line == nil)
        #expect(error.problem.hasPrefix("cannot read the fixture directory"))
    }
}

/// A fresh directory under the system temporary directory, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("vcd-fixtures-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }
}
