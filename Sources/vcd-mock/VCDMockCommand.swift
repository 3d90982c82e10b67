import ArgumentParser
import Foundation
import Logging
import VCDCore
import VCDFixtures
import VCDAMQP
import VCDHTTP
import VCDMock
import VCDXML

@main
struct VCDMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vcd-mock",
        abstract: "A local mock of VMware vCloud Director (vCloud API 5.5, XML).",
        discussion: """
        Serves the vCloud API 5.5 (versions, sessions, orgs, admin views, tasks lists and tasks) from an \
        in-memory store loaded from fixture files. Every flag can also be set by the environment variable \
        named in its help; a flag wins over its variable.

        Log in:  curl -si -X POST -u administrator@System:vmware \
        -H 'Accept: application/*+xml;version=5.5' http://127.0.0.1:8080/api/sessions

        Also: vcd-mock export [--fixtures DIR] prints the fixtures in the fixture YAML format; \
        vcd-mock check-fixtures DIR validates a fixture directory (exit 0, or 2 with file:line errors).
        """)

    @Option(help: "Address to listen on (IPv4 or IPv6). [VCD_MOCK_HOST, default 127.0.0.1]")
    var host: String?

    @Option(help: "TCP port; 0 picks a free one (see the 'listening on' line). [VCD_MOCK_PORT, default 8080]")
    var port: UInt16?

    @Option(help: "Directory of fixture YAML files. [VCD_MOCK_FIXTURES, default Fixtures/default]")
    var fixtures: String?

    @Option(help: "Base URL of every href, e.g. https://vcd.example.test. [VCD_MOCK_PUBLIC_URL, default http://<Host header>]")
    var publicURL: String?

    @Option(help: "trace, debug, info (one line per request), notice, warning, error or critical. [VCD_MOCK_LOG_LEVEL, default info]")
    var logLevel: String?

    @Option(help: "Largest request body in bytes; larger ones get 413. [VCD_MOCK_MAX_BODY, default 1048576]")
    var maxBody: Int?

    @Option(help: "Minutes a session token lives without use. [VCD_MOCK_SESSION_TIMEOUT, default 30]")
    var sessionTimeout: Int?

    @Option(help: "HTTP worker threads. [VCD_MOCK_THREADS, default: number of cores]")
    var threads: Int?

    @Option(help: "Broker for notifications: amqp://user:pass@host:port/vhost (vhost %2F = /). Without it no broker is used until the AMQP settings are PUT. [VCD_MOCK_AMQP_URL]")
    var amqpURL: String?

    @Option(help: "Topic exchange for XML notifications (JSON ones go to vcd.notifications20). [VCD_MOCK_AMQP_EXCHANGE, default systemExchange]")
    var amqpExchange: String?

    @Option(help: "on or off. [VCD_MOCK_NOTIFICATIONS, default on when an AMQP URL is given]")
    var notifications: String?

    @Option(help: "Messages the AMQP outbox holds (queued, retrying or unconfirmed); beyond it new ones are refused, logged and counted. [VCD_MOCK_OUTBOX_SIZE, default 10000]")
    var outboxSize: Int?

    @Option(help: "Events kept per org; the oldest are dropped and counted. [VCD_MOCK_EVENT_RETENTION, default 10000]")
    var eventRetention: Int?

    @Option(help: "Seconds to wait for an extension service's reply before answering 504. [VCD_MOCK_EXTENSION_TIMEOUT, default 10]")
    var extensionTimeout: Double?

    @Option(help: "Handled requests GET /mock/requests keeps; the oldest are dropped and counted. [VCD_MOCK_JOURNAL_SIZE, default 10000]")
    var journalSize: Int?

    @Option(help: "AMQP messages GET /mock/messages keeps; the oldest are dropped and counted. [VCD_MOCK_MESSAGE_JOURNAL_SIZE, default 10000]")
    var messageJournalSize: Int?

    @Option(help: "Require Authorization: Bearer <token> on /mock/... from non-loopback clients (loopback stays open). [VCD_MOCK_CONTROL_TOKEN]")
    var controlToken: String?

    @Option(help: "Makes generated ids (tasks, events, session tokens, request ids) reproducible: the same seed gives the same ids on every run. [VCD_MOCK_SEED, default random]")
    var seed: String?

    @Option(help: "real, or fixed:<ISO8601> (e.g. fixed:2024-05-01T10:00:00.000Z) to stop the clock; POST /mock/clock moves it. [VCD_MOCK_CLOCK, default real]")
    var clock: String?

    mutating func run() throws {
        Shutdown.block()
        signal(SIGPIPE, SIG_IGN)
        let env = ProcessInfo.processInfo.environment
        let level = try logLevelValue(logLevel ?? env["VCD_MOCK_LOG_LEVEL"] ?? "info")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vcd-mock")

        let directory = try FixtureLocator.find(fixtures ?? env["VCD_MOCK_FIXTURES"])
        let clock = try clockValue(clock ?? env["VCD_MOCK_CLOCK"], flag: clock != nil ? "--clock" : "VCD_MOCK_CLOCK")
        let ids: any IDGenerator = try seedValue(seed ?? env["VCD_MOCK_SEED"], flag: seed != nil ? "--seed" : "VCD_MOCK_SEED")
            .map { SeededIDs(seed: $0) } ?? RandomIDs()
        let loaded: Fixtures
        do {
            loaded = try FixtureLoader.load(directory: directory, now: clock.now())
        } catch {
            FileHandle.standardError.write(Data("vcd-mock: broken fixtures: \(error)\n".utf8))
            throw ExitCode(2)
        }

        let settings = CloudSettings(sessionIdleTimeoutMinutes: try number(sessionTimeout, env, "VCD_MOCK_SESSION_TIMEOUT", 30, min: 1),
                                     eventRetention: try number(eventRetention, env, "VCD_MOCK_EVENT_RETENTION", 10_000, min: 1))
        let notifier = try makeNotifier(env, logger: logger)
        let store = Store(orgs: loaded.orgs, tasks: loaded.tasks, services: loaded.services, clock: clock,
                          ids: ids, settings: settings, sink: notifier)
        notifier.setOrgNames(loaded.orgs)
        let maxBytes = try number(maxBody, env, "VCD_MOCK_MAX_BODY", 1 << 20, min: 1)
        let publicBase = publicURL ?? env["VCD_MOCK_PUBLIC_URL"]
        let timeout = try extensionTimeout ?? env["VCD_MOCK_EXTENSION_TIMEOUT"].map { text throws -> Double in
            guard let v = Double(text), v > 0 else { throw ValidationError("VCD_MOCK_EXTENSION_TIMEOUT=\(text) is not a positive number") }
            return v
        } ?? 10
        guard timeout > 0 else { throw ValidationError("--extension-timeout must be positive") }
        let bridge = ExtensionBridge(endpoint: notifier.configured ? Notifier.endpoint(notifier.settings) : nil, timeout: timeout,
                                     ids: ids) { line in logger.notice("\(line)")
        }
        let app = App(store: store, config: AppConfig(publicURL: publicBase, maxBodyBytes: maxBytes,
                                                  journalSize: try number(journalSize, env, "VCD_MOCK_JOURNAL_SIZE", 10_000, min: 1),
                                                  controlToken: controlToken ?? env["VCD_MOCK_CONTROL_TOKEN"]),
                      notifier: notifier, bridge: bridge, logger: logger)
        XMLReader.initialize()

        let bindHost = host ?? env["VCD_MOCK_HOST"] ?? "127.0.0.1"
        let bindPort = try port ?? UInt16(exactly: number(nil, env, "VCD_MOCK_PORT", 8080, min: 0)) ?? 8080
        let config = HTTPServerConfig(host: bindHost, port: bindPort,
                                      threads: try number(threads, env, "VCD_MOCK_THREADS", HTTPServerConfig.cores, min: 1),
                                      maxBodyBytes: maxBytes)
        let server: HTTPServer
        do {
            server = try HTTPServer(config: config, answer: { app.answer($0) })
        } catch {
            FileHandle.standardError.write(Data("vcd-mock: \(error)\n".utf8))
            throw ExitCode(1)
        }
        logger.notice("loaded \(loaded.orgs.count) orgs from \(directory)")
        let shownHost = bindHost.contains(":") ? "[\(bindHost)]" : bindHost
        notifier.setBase(publicBase ?? "http://\(shownHost):\(server.port)")
        say("vcd-mock listening on http://\(shownHost):\(server.port)")
        Shutdown.wait()
        server.stop()
        // Give queued notifications a moment to be confirmed; what is left is reported, not hidden.
        if !notifier.publisher.drain(timeout: 2) {
            logger.warning("stopping with \(notifier.publisher.stats.outboxDepth) AMQP message(s) not confirmed")
        }
        notifier.publisher.stop()
        say("vcd-mock stopped")
    }
}

extension VCDMockCommand {
    /// Broker settings from --amqp-url / --amqp-exchange; notifications on by default when a URL is given.
    func makeNotifier(_ env: [String: String], logger: Logger) throws -> Notifier {
        var settings = AMQPSettings()
        let url = amqpURL ?? env["VCD_MOCK_AMQP_URL"]
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
        if let exchange = amqpExchange ?? env["VCD_MOCK_AMQP_EXCHANGE"] { settings.exchange = exchange }
        let enabled: Bool
        switch (notifications ?? env["VCD_MOCK_NOTIFICATIONS"])?.lowercased() {
        case nil: enabled = url != nil
        case "on", "true", "yes", "1": enabled = true
        case "off", "false", "no", "0": enabled = false
        case let other?: throw ValidationError("--notifications '\(other)' must be on or off")
        }
        let capacity = try number(outboxSize, env, "VCD_MOCK_OUTBOX_SIZE", 10_000, min: 1)
        let journalSize = try number(messageJournalSize, env, "VCD_MOCK_MESSAGE_JOURNAL_SIZE", 10_000, min: 1)
        return Notifier(settings: settings, configured: url != nil, enabled: enabled, outboxCapacity: capacity,
                        base: "http://127.0.0.1", messageJournalSize: journalSize) { line in logger.notice("\(line)") }
    }
}

/// SIGINT and SIGTERM are blocked in every thread from the start and taken with sigwait, so a signal sent
/// at any moment after the "listening" line (even right after it) stops the server cleanly.
enum Shutdown {
    static var signals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    /// Call before any thread starts: threads inherit the mask.
    static func block() {
        var set = signals
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func wait() {
        var set = signals
        var received: Int32 = 0
        sigwait(&set, &received)
    }
}

/// `--clock`: `real` (the default) or `fixed:<ISO8601>`; either way POST /mock/clock can move it later.
func clockValue(_ text: String?, flag: String) throws -> ControlledClock {
    guard let text, text.lowercased() != "real" else { return ControlledClock() }
    guard text.lowercased().hasPrefix("fixed:"), let instant = Timestamp(iso8601: String(text.dropFirst(6))) else {
        throw ValidationError("\(flag) '\(text)' must be real or fixed:<ISO8601>, e.g. fixed:2024-05-01T10:00:00.000Z")
    }
    return ControlledClock(fixed: instant)
}

/// `--seed`: a whole number 0...2^64-1 (decimal, or hex with 0x).
func seedValue(_ text: String?, flag: String) throws -> UInt64? {
    guard let text else { return nil }
    let value = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    guard let value else { throw ValidationError("\(flag) '\(text)' is not a whole number from 0 to 18446744073709551615") }
    return value
}

func logLevelValue(_ text: String) throws -> Logger.Level {
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
        throw ValidationError("--log-level '\(text)' is not one of trace, debug, info, notice, warning, error, critical")
    }
    return level
}

func number(_ flag: Int?, _ env: [String: String], _ name: String, _ fallback: Int, min: Int) throws -> Int {
    if let flag {
        guard flag >= min else { throw ValidationError("value \(flag) is below \(min)") }
        return flag
    }
    guard let text = env[name] else { return fallback }
    guard let value = Int(text), value >= min else { throw ValidationError("\(name)=\(text) is not a whole number ≥ \(min)") }
    return value
}

/// Unbuffered stdout line: scripts wait for the "listening" line through a pipe.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
