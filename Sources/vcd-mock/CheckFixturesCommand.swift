import ArgumentParser
import VCDCore

struct CheckFixturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcd-mock check-fixtures",
        abstract: "Validate a fixture directory: exit 0 when it loads, 2 with file:line: problem otherwise.")

    @Argument(help: "Directory of fixture YAML files.")
    var directory: String

    mutating func run() throws {
        let loaded = try FixtureLocator.load(directory, now: Timestamp(milliseconds: 0), prefix: "")
        Output.say("\(directory): ok (\(loaded.orgs.count) orgs, \(loaded.orgs.reduce(0) { $0 + $1.users.count }) users, "
                   + "\(loaded.tasks.count) tasks, \(loaded.events.count) events, \(loaded.services.count) services)")
    }
}
