import ArgumentParser
import Foundation
import VCDCore
import VCDFixtures

/// Where the default fixtures are when no directory is named: the working directory's
/// Fixtures/default, then one beside the executable's checkout (swift run from elsewhere), then the install path.
enum FixtureLocator {
    static func find(_ explicit: String?) throws -> String {
        if let explicit {
            guard isDirectory(explicit) else { throw ValidationError("--fixtures \(explicit) is not a directory") }
            return explicit
        }
        var candidates = [FileManager.default.currentDirectoryPath + "/Fixtures/default"]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.path + "/Fixtures/default")
            dir = dir.deletingLastPathComponent()
        }
        candidates.append("/usr/share/vcd-mock/fixtures")
        guard let found = candidates.first(where: isDirectory) else {
            throw ValidationError("no default fixtures found (looked in \(candidates.joined(separator: ", "))); pass --fixtures DIR")
        }
        return found
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Loads a fixture directory; broken fixtures print their file:line problems and exit 2.
    static func load(_ directory: String, now: Timestamp, prefix: String = "vcd-mock: broken fixtures: ") throws -> Fixtures {
        do {
            return try FixtureLoader.load(directory: directory, now: now)
        } catch {
            Output.warn("\(prefix)\(error)")
            throw ExitCode(2)
        }
    }
}
