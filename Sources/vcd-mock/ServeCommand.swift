import ArgumentParser
import Foundation
import Logging
import VCDCore
import VCDFixtures
import VCDAMQP
import VCDHTTP
import VCDMock
import VCDXML

struct ServeCommand: ParsableCommand {
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

    @OptionGroup var options: ServeOptions

    mutating func run() throws {
        Shutdown.block()
        let env = ProcessInfo.processInfo.environment
        let level = try Parse.logLevel(options.logLevel ?? env["VCD_MOCK_LOG_LEVEL"] ?? "info")
        // One line per request at info, written off the request threads (see LogWriter).
        let logs = LogWriter()
        defer { logs.close() }
        LoggingSystem.bootstrap { label in BatchedLogHandler(label: label, level: level, writer: logs) }
        let logger = Logger(label: "vcd-mock")

        let directory = try FixtureLocator.find(options.fixtures ?? env["VCD_MOCK_FIXTURES"])
        let clock = try Parse.clock(options.clock ?? env["VCD_MOCK_CLOCK"], flag: options.clock != nil ? "--clock" : "VCD_MOCK_CLOCK")
        let ids: any IDGenerator = try Parse.seed(options.seed ?? env["VCD_MOCK_SEED"], flag: options.seed != nil ? "--seed" : "VCD_MOCK_SEED")
            .map { SeededIDs(seed: $0) } ?? RandomIDs()
        let loaded = try FixtureLocator.load(directory, now: clock.now())

        let settings = CloudSettings(sessionIdleTimeoutMinutes: try Parse.number(options.sessionTimeout, env, "VCD_MOCK_SESSION_TIMEOUT", 30, min: 1),
                                     eventRetention: try Parse.number(options.eventRetention, env, "VCD_MOCK_EVENT_RETENTION", 10_000, min: 1))
        let notifier = try makeNotifier(env, logger: logger)
        let store = Store(orgs: loaded.orgs, tasks: loaded.tasks, services: loaded.services, clock: clock,
                          ids: ids, settings: settings, sink: notifier, blockingTaskSettings: loaded.blockingTaskSettings,
                          interner: loaded.interner)
        notifier.setOrgNames(loaded.orgs)
        if let ms = try Parse.duration(options.taskDuration ?? env["VCD_MOCK_TASK_DURATION"],
                                       flag: options.taskDuration != nil ? "--task-duration" : "VCD_MOCK_TASK_DURATION") {
            store.work.defaultDurationMillis = ms
        }
        let maxBytes = try Parse.number(options.maxBody, env, "VCD_MOCK_MAX_BODY", 1 << 20, min: 1)
        let publicBase = options.publicURL ?? env["VCD_MOCK_PUBLIC_URL"]
        let timeout = try options.extensionTimeout ?? env["VCD_MOCK_EXTENSION_TIMEOUT"].map { text throws -> Double in
            guard let v = Double(text), v > 0 else { throw ValidationError("VCD_MOCK_EXTENSION_TIMEOUT=\(text) is not a positive number") }
            return v
        } ?? 10
        guard timeout > 0 else { throw ValidationError("--extension-timeout must be positive") }
        let bridge = ExtensionBridge(endpoint: notifier.configured ? Notifier.endpoint(notifier.settings) : nil, timeout: timeout,
                                     ids: ids) { line in logger.notice("\(line)")
        }
        let bindHost = options.host ?? env["VCD_MOCK_HOST"] ?? "127.0.0.1"
        let tls = try tlsIdentity(env, host: bindHost, publicURL: publicBase)
        let scheme = tls == nil ? "http" : "https"
        let app = App(store: store, config: AppConfig(publicURL: publicBase, scheme: scheme, maxBodyBytes: maxBytes,
                                                  journalSize: try Parse.number(options.journalSize, env, "VCD_MOCK_JOURNAL_SIZE", 10_000, min: 1),
                                                  controlToken: options.controlToken ?? env["VCD_MOCK_CONTROL_TOKEN"]),
                      notifier: notifier, bridge: bridge, logger: logger, requestLog: logs)
        XMLReader.initialize()

        let bindPort = try options.port ?? UInt16(exactly: Parse.number(nil, env, "VCD_MOCK_PORT", 8080, min: 0)) ?? 8080
        var config = HTTPServerConfig(host: bindHost, port: bindPort,
                                      threads: try Parse.number(options.threads, env, "VCD_MOCK_THREADS", HTTPServerConfig.cores, min: 1),
                                      maxBodyBytes: maxBytes, tls: tls)
        try applyLimits(&config, env)
        let server: HTTPServer
        do {
            server = try HTTPServer(config: config, answer: { app.answer($0) })
        } catch {
            Output.warn("vcd-mock: \(error)")
            throw ExitCode(1)
        }
        logger.notice("loaded \(loaded.orgs.count) orgs from \(directory)")
        HeapTrim.now()  // the fixture parse is garbage now
        let shownHost = bindHost.contains(":") ? "[\(bindHost)]" : bindHost
        notifier.setBase(publicBase ?? "\(scheme)://\(shownHost):\(server.port)")
        Output.say("vcd-mock listening on \(scheme)://\(shownHost):\(server.port)")
        Shutdown.wait()
        server.stop()
        // Give queued notifications a moment to be confirmed; what is left is reported, not hidden.
        if !notifier.publisher.drain(timeout: 2) {
            logger.warning("stopping with \(notifier.publisher.stats.outboxDepth) AMQP message(s) not confirmed")
        }
        notifier.publisher.stop()
        Output.say("vcd-mock stopped")
    }
}
