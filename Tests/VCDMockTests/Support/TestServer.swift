import Foundation
import Logging
import VCDCore
import VCDFixtures
import VCDHTTP
import VCDMock
import VCDXML

/// The real server (libmicrohttpd + App) on a loopback port, loaded with the default fixtures.
final class TestServer: Sendable {
    let server: HTTPServer
    let app: App
    let base: String

    init(config: AppConfig = AppConfig(), settings: CloudSettings = CloudSettings(), clock: any TimeSource = SystemClock(),
         maxBodyBytes: Int = 1 << 20, fixtures: String = TestServer.defaultFixtures,
         notifier: Notifier? = nil, tls: TLSIdentity? = nil, threads: Int = HTTPServerConfig.cores,
         http: HTTPServerConfig = HTTPServerConfig()) throws {
        XMLReader.initialize()
        let loaded = try FixtureLoader.load(directory: fixtures, now: clock.now())
        let store = Store(orgs: loaded.orgs, tasks: loaded.tasks, services: loaded.services, clock: clock,
                          settings: settings, sink: notifier, blockingTaskSettings: loaded.blockingTaskSettings)
        var config = config
        config.maxBodyBytes = maxBodyBytes
        if tls != nil { config.scheme = "https" }
        let app = App(store: store, config: config, notifier: notifier, logger: Self.logger())
        self.app = app
        // `http` carries the connection limits; address, port, threads, body size and TLS come from here.
        var httpConfig = http
        httpConfig.host = "127.0.0.1"
        httpConfig.port = 0
        httpConfig.threads = threads
        httpConfig.maxBodyBytes = maxBodyBytes
        httpConfig.tls = tls
        self.server = try HTTPServer(config: httpConfig, answer: { app.answer($0) })
        self.base = "\(server.scheme)://127.0.0.1:\(server.port)"
    }

    deinit { server.stop() }

    /// Test servers log at warning: request lines (one per request, 100k in JournalTests) stay out of the
    /// test output. A test that wants them passes its own logger.
    static func logger(_ level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: "vcd-mock-test")
        logger.logLevel = level
        return logger
    }

    static let repoRoot: String = {
        // The folder holding Package.swift, however deep this file sits.
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.path + "/Package.swift") {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    static let defaultFixtures = repoRoot + "/Fixtures/default"

    func client() -> TestClient { TestClient(port: server.port) }

    /// A client already logged in as `user@org`.
    func login(_ user: String, _ org: String, _ password: String) throws -> TestClient {
        let c = client()
        let r = try c.send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("\(user)@\(org):\(password)")])
        guard r.status == 200, let token = r.header("x-vcloud-authorization") else {
            throw TestFailure("login \(user)@\(org) failed: \(r.status) \(r.text)")
        }
        c.token = token
        return c
    }

    func sysadmin() throws -> TestClient { try login("administrator", "System", "vmware") }
    func alice() throws -> TestClient { try login("alice", "acme", "alice") }
    func bob() throws -> TestClient { try login("bob", "globex", "bob") }
    func carol() throws -> TestClient { try login("carol", "globex", "carol") }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
