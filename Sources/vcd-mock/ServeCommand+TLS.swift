import ArgumentParser
import Foundation
import VCDHTTP

extension ServeCommand {
    /// The HTTPS identity from --tls / --tls-cert / --tls-key / --tls-cert-out (or their variables); nil for
    /// plain HTTP. Every mistake here is a usage error: a message and exit 2, before anything listens.
    func tlsIdentity(_ env: [String: String], host: String, publicURL: String?) throws -> TLSIdentity? {
        let certFile = options.tlsCert ?? env["VCD_MOCK_TLS_CERT"]
        let keyFile = options.tlsKey ?? env["VCD_MOCK_TLS_KEY"]
        let certOut = options.tlsCertOut ?? env["VCD_MOCK_TLS_CERT_OUT"]
        let selfSigned = try options.tls || Self.truth(env["VCD_MOCK_TLS"])
        let identity: TLSIdentity
        switch (certFile, keyFile) {
        case (nil, nil):
            guard selfSigned else {
                if certOut != nil { try Self.usage("--tls-cert-out needs --tls (or --tls-cert and --tls-key)") }
                return nil
            }
            do {
                identity = try TLSIdentity.selfSigned(names: Self.certificateNames(host: host, publicURL: publicURL))
            } catch {
                try Self.usage("--tls: \(error)")
            }
        case (let cert?, let key?):
            do {
                identity = try TLSIdentity.load(certificateFile: cert, keyFile: key)
            } catch {
                try Self.usage("--tls-cert/--tls-key: \(error)")
            }
        case (nil, _?):
            try Self.usage("--tls-key needs --tls-cert (the PEM certificate that goes with the key)")
        case (_?, nil):
            try Self.usage("--tls-cert needs --tls-key (the PEM private key of the certificate)")
        }
        guard TLSIdentity.supported else { try Self.usage("this libmicrohttpd was built without TLS support") }
        if let certOut {
            do {
                try Data(identity.certificatePEM.utf8).write(to: URL(fileURLWithPath: certOut))
            } catch {
                try Self.usage("--tls-cert-out: cannot write \(certOut): \(error.localizedDescription)")
            }
        }
        return identity
    }

    /// The listening host (the machine's name for a wildcard address), the public URL's host, localhost
    /// and the loopback addresses.
    static func certificateNames(host: String, publicURL: String?) -> [String] {
        var names: [String] = []
        if host == "0.0.0.0" || host == "::" {
            var buffer = [CChar](repeating: 0, count: 256)
            if gethostname(&buffer, buffer.count) == 0 {
                names.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        } else {
            names.append(host)
        }
        if let publicURL, let publicHost = URL(string: publicURL)?.host { names.append(publicHost) }
        return names + ["localhost", "127.0.0.1", "::1"]
    }

    static func truth(_ text: String?) throws -> Bool {
        switch text?.lowercased() {
        case nil, "", "0", "false", "off", "no": return false
        case "1", "true", "on", "yes": return true
        case let other?: try usage("VCD_MOCK_TLS='\(other)' must be 1/true/on or 0/false/off")
        }
    }

    static func usage(_ message: String) throws -> Never {
        Output.warn("vcd-mock: \(message)")
        throw ExitCode(2)
    }
}
