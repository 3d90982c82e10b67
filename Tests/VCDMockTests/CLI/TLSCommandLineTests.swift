import Foundation
import Testing
import VCDHTTP

/// `vcd-mock --tls`, `--tls-cert/--tls-key`, `--tls-cert-out` and their variables, as a user runs them.
@Suite(.serialized) struct TLSCommandLineTests {
    typealias Running = CommandLineTests.Running

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vcd-mock-cli-\(UUID().uuidString)-\(name)").path
    }

    @Test func tlsStartsHTTPSQuicklyAndWritesTheCertificate() throws {
        let certOut = Self.temporaryPath("cert.pem")
        defer { try? FileManager.default.removeItem(atPath: certOut) }
        let started = Date()
        let run = try Running(["--port", "0", "--tls", "--tls-cert-out", certOut, "--log-level", "warning"])
        let line = try run.waitListening()
        #expect(Date().timeIntervalSince(started) < 5, "start with a fresh certificate stays quick")
        #expect(line.hasPrefix("vcd-mock listening on https://127.0.0.1:"), "\(line)")
        let (code, status, body) = try TLSTests.curl("https://localhost:\(run.port)/api/versions", trusting: certOut)
        #expect(code == 0 && status == "200", "curl \(code): \(body)")
        #expect(run.finish(SIGTERM).0 == 0)
    }

    @Test func theVariablesWorkLikeTheFlags() throws {
        let certOut = Self.temporaryPath("cert.pem")
        defer { try? FileManager.default.removeItem(atPath: certOut) }
        let run = try Running([], env: ["VCD_MOCK_PORT": "0", "VCD_MOCK_TLS": "1", "VCD_MOCK_TLS_CERT_OUT": certOut])
        #expect(try run.waitListening().hasPrefix("vcd-mock listening on https://"))
        #expect(FileManager.default.fileExists(atPath: certOut))
        #expect(run.finish(SIGTERM).0 == 0)
    }

    @Test func theUsersFilesServeAndHalfAPairIsAUsageError() throws {
        // --tls-cert-out writes no key; make the pair with the library the server uses.
        let identity = try TLSIdentity.selfSigned(names: ["127.0.0.1", "localhost"])
        let cert = Self.temporaryPath("c.pem"), key = Self.temporaryPath("k.pem")
        try identity.certificatePEM.write(toFile: cert, atomically: true, encoding: .utf8)
        try identity.keyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        defer { [cert, key].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let run = try Running(["--port", "0", "--tls-cert", cert, "--tls-key", key])
        #expect(try run.waitListening().hasPrefix("vcd-mock listening on https://"))
        #expect(try TLSTests.curl("https://127.0.0.1:\(run.port)/api/versions", trusting: cert).1 == "200")
        #expect(run.finish(SIGTERM).0 == 0)

        for (args, words) in [(["--tls-cert", cert], "--tls-cert needs --tls-key"),
                              (["--tls-key", key], "--tls-key needs --tls-cert"),
                              (["--tls-cert", "/nonexistent.pem", "--tls-key", key], "cannot read the certificate file /nonexistent.pem"),
                              (["--tls-cert", key, "--tls-key", key], "holds no PEM certificate"),
                              (["--tls-cert-out", Self.temporaryPath("x.pem")], "--tls-cert-out needs --tls")] {
            let (code, out, err) = try Running(["--port", "0"] + args).finish()
            #expect(code == 2, "\(args): \(err)")
            #expect(err.contains(words), "\(args): \(err)")
            #expect(!out.contains("listening"), "\(args)")
        }
    }
}

