import ArgumentParser
import Foundation
import VCDFixtures

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
        let clock = try Parse.clock(env["VCD_MOCK_CLOCK"], flag: "VCD_MOCK_CLOCK")
        let loaded = try FixtureLocator.load(directory, now: clock.now())
        Output.say(FixtureExporter.yaml(loaded), newline: false)
    }
}
