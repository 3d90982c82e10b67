import Foundation
import Testing
import VCDHTTP
import VCDXML

/// HTTPS through libmicrohttpd's TLS: a real handshake (curl, verifying the certificate) with the generated
/// certificate and with PEM files, certificate/key errors, and a plain-HTTP client on the TLS port.
@Suite struct TLSTests {
    /// curl (a real TLS client) trusting only `cert`; returns (exit code, HTTP status, body).
    static func curl(_ url: String, trusting cert: String?, extra: [String] = []) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-sS", "--max-time", "20", "-w", "\n%{http_code}", "-H", "Accept: application/*+xml;version=36.0"]
            + (cert.map { ["--cacert", $0] } ?? ["-k"]) + extra + [url]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let status = text.split(separator: "\n").last.map(String.init) ?? ""
        return (p.terminationStatus, status, text)
    }

    static func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vcd-mock-\(UUID().uuidString)-\(name)").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theGeneratedCertificateVerifiesForLoopbackAndLocalhost() throws {
        let started = Date()
        let identity = try TLSIdentity.selfSigned(names: ["127.0.0.1", "localhost"])
        #expect(Date().timeIntervalSince(started) < 0.5, "made fast")
        #expect(identity.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let server = try TestServer(tls: identity)
        #expect(server.base.hasPrefix("https://"))
        let cert = try Self.temporaryFile("cert.pem", identity.certificatePEM)
        defer { try? FileManager.default.removeItem(atPath: cert) }
        for host in ["127.0.0.1", "localhost"] {
            let (code, status, body) = try Self.curl("https://\(host):\(server.server.port)/api/versions", trusting: cert)
            #expect(code == 0 && status == "200", "\(host): curl \(code) \(body)")
            #expect(body.contains("<LoginUrl>https://\(host):\(server.server.port)/cloudapi/1.0.0/sessions</LoginUrl>"),
                    "hrefs use https")
        }
    }

    @Test func anotherCertificateDoesNotVerify() throws {
        let server = try TestServer(tls: TLSIdentity.selfSigned(names: ["127.0.0.1"]))
        let stranger = try Self.temporaryFile("other.pem", TLSIdentity.selfSigned(names: ["127.0.0.1"]).certificatePEM)
        defer { try? FileManager.default.removeItem(atPath: stranger) }
        let (code, _, _) = try Self.curl("https://127.0.0.1:\(server.server.port)/api/versions", trusting: stranger)
        #expect(code == 60, "curl: peer certificate cannot be authenticated")
    }

    @Test func theUsersPEMFilesServeHTTPS() throws {
        let made = try TLSIdentity.selfSigned(names: ["127.0.0.1"])
        let cert = try Self.temporaryFile("cert.pem", made.certificatePEM)
        let key = try Self.temporaryFile("key.pem", made.keyPEM)
        defer { [cert, key].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let server = try TestServer(tls: TLSIdentity.load(certificateFile: cert, keyFile: key))
        let (code, status, body) = try Self.curl("https://127.0.0.1:\(server.server.port)/api/versions", trusting: cert)
        #expect(code == 0 && status == "200", "curl \(code) \(body)")
    }

    @Test func missingGarbageAndMismatchedFilesAreClearErrors() throws {
        let a = try TLSIdentity.selfSigned(names: ["127.0.0.1"])
        let b = try TLSIdentity.selfSigned(names: ["127.0.0.1"])
        let certA = try Self.temporaryFile("a.pem", a.certificatePEM)
        let keyB = try Self.temporaryFile("b.key", b.keyPEM)
        let garbage = try Self.temporaryFile("garbage.pem", "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n")
        defer { [certA, keyB, garbage].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        func message(_ cert: String, _ key: String) -> String {
            do {
                _ = try TLSIdentity.load(certificateFile: cert, keyFile: key)
                return ""
            } catch {
                return error.description
            }
        }
        #expect(message("/nonexistent/cert.pem", keyB).contains("cannot read the certificate file /nonexistent/cert.pem"))
        #expect(message(certA, "/nonexistent/key.pem").contains("cannot read the key file"))
        #expect(message(certA, certA).contains("holds no PEM private key"))
        let mismatch = message(certA, keyB)
        #expect(mismatch.contains(certA) && mismatch.contains(keyB) && mismatch.contains("do not form a usable PEM pair"), "\(mismatch)")
        #expect(message(garbage, keyB).contains("do not form a usable PEM pair"))
    }

    @Test func plainHTTPOnTheTLSPortIsClosedNotHung() throws {
        let server = try TestServer(tls: TLSIdentity.selfSigned(names: ["127.0.0.1"]))
        let plain = server.client()
        let started = Date()
        #expect(throws: (any Error).self) { try plain.send("GET", "/api/versions") }
        #expect(Date().timeIntervalSince(started) < 10, "answered by a close, not a timeout")
        // The workers are free: HTTPS still answers.
        let (code, status, _) = try Self.curl("https://127.0.0.1:\(server.server.port)/api/versions", trusting: nil)
        #expect(code == 0 && status == "200")
    }
}
