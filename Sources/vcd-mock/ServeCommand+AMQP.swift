import ArgumentParser
import Logging
import VCDAMQP
import VCDCore
import VCDMock

extension ServeCommand {
    /// Broker settings from --amqp-url / --amqp-exchange; notifications on by default when a URL is given.
    func makeNotifier(_ env: [String: String], logger: Logger) throws -> Notifier {
        var settings = AMQPSettings()
        let url = options.amqpURL ?? env["VCD_MOCK_AMQP_URL"]
        if let url {
            do {
                let e = try AMQPEndpoint(url: url)
                settings.host = e.host
                settings.port = e.port
                settings.vhost = e.vhost
                settings.username = e.username
                settings.password = e.password
            } catch {
                throw ValidationError("--amqp-url: \(error)")
            }
        }
        if let exchange = options.amqpExchange ?? env["VCD_MOCK_AMQP_EXCHANGE"] { settings.exchange = exchange }
        let enabled: Bool
        switch (options.notifications ?? env["VCD_MOCK_NOTIFICATIONS"])?.lowercased() {
        case nil: enabled = url != nil
        case "on", "true", "yes", "1": enabled = true
        case "off", "false", "no", "0": enabled = false
        case let other?: throw ValidationError("--notifications '\(other)' must be on or off")
        }
        let capacity = try Parse.number(options.outboxSize, env, "VCD_MOCK_OUTBOX_SIZE", 10_000, min: 1)
        let journalSize = try Parse.number(options.messageJournalSize, env, "VCD_MOCK_MESSAGE_JOURNAL_SIZE", 10_000, min: 1)
        return Notifier(settings: settings, configured: url != nil, enabled: enabled, outboxCapacity: capacity,
                        base: "http://127.0.0.1", messageJournalSize: journalSize) { line in logger.notice("\(line)") }
    }
}
