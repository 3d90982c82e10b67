/// `vcd-mock` serves; `vcd-mock export` and `vcd-mock check-fixtures` are picked by the first argument
/// before parsing, so `vcd-mock --help` keeps listing every serve flag.
@main
enum Main {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "export": ExportCommand.main(Array(arguments.dropFirst()))
        case "check-fixtures": CheckFixturesCommand.main(Array(arguments.dropFirst()))
        default: ServeCommand.main(arguments)
        }
    }
}
