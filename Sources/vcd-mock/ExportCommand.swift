import ArgumentParser
import Foundation
import VCDCore
import VCDFixtures

/// `vcd-mock` serves; `vcd-mock export` and `vcd-mock check-fixtures` are picked by the first argument
/// before parsing, so `vcd-mock --help` keeps listing every serve flag.
extension VCDMockCommand {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "export": ExportCommand.main(Array(arguments.dropFirst()))
        case "check-fixtures": CheckFixturesCommand.main(Array(arguments.dropFirst()))
        default: main(arguments)
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcd-mock export",
        abstract: "Print the loaded fixtures in the fixture YAML format (what GET /mock/state answers at start).",
        discussion: "Tasks without a startTime start now; set VCD_MOCK_CLOCK=fixed:<ISO8601> for a reproducible export.")

    @Option(help: "Directory of fixture YAML files. [VCD_MOCK_FIXTURES, default Fixtures/default]")
    var fixtures: String?

    mutating func run() throws {
        let env = ProcessInfo.processInfo.environment
        let directory = try FixtureLocator.find(fixtures ?? env["VCD_MOCK_FIXTURES"])
        let clock = try clockValue(env["VCD_MOCK_CLOCK"], flag: "VCD_MOCK_CLOCK")
        let loaded: Fixtures
        do {
            loaded = try FixtureLoader.load(directory: directory, now: clock.now())
        } catch {
            FileHandle.standardError.write(Data("vcd-mock: broken fixtures: \(error)\n".utf8))
            throw ExitCode(2)
        }
        FileHandle.standardOutput.write(Data(FixtureExporter.yaml(loaded).utf8))
    }
}

struct CheckFixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcd-mock check-fixtures",
        abstract: "Validate a fixture directory: exit 0 when it loads, 2 with file:line: problem otherwise.")

    @Argument(help: "Directory of fixture YAML files.")
    var directory: String

    mutating func run() throws {
        do {
            let loaded = try FixtureLoader.load(directory: directory, now: Timestamp(milliseconds: 0))
            say("\(directory): ok (\(loaded.orgs.count) orgs, \(loaded.orgs.reduce(0) { $0 + $1.users.count }) users, "
                + "\(loaded.tasks.count) tasks, \(loaded.events.count) events, \(loaded.services.count) services)")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
