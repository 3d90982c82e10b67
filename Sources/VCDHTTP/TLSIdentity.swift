import CMicroHTTPDShims
import Foundation

/// A certificate and private key (PEM) for HTTPS: made at start, or read from the user's files.
public struct TLSIdentity: Sendable {
    public let certificatePEM: String
    public let keyPEM: String

    /// The pair as given; `load` and `selfSigned` check it first.
    public init(certificatePEM: String, keyPEM: String) {
        self.certificatePEM = certificatePEM
        self.keyPEM = keyPEM
    }

    /// Whether this libmicrohttpd can serve HTTPS at all (Debian's is built with GnuTLS).
    public static var supported: Bool { vcdm_tls_supported() != 0 }

    /// A self-signed ECDSA P-256 certificate for `names` (the first is the subject; every one is a
    /// subject alternative name), valid for `days` days. Made with GnuTLS in about a millisecond.
    public static func selfSigned(names: [String], days: Int = 365) throws(TLSError) -> TLSIdentity {
        var unique: [String] = []
        for name in names where !name.isEmpty && !unique.contains(name) { unique.append(name) }
        var cert: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var err = [CChar](repeating: 0, count: 256)
        let copies = unique.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let rc = copies.map { UnsafePointer<CChar>($0) }.withUnsafeBufferPointer { names in
            vcdm_tls_self_signed(names.baseAddress, names.count, UInt32(max(1, days)), &cert, &key, &err, err.count)
        }
        guard rc == 0, let cert, let key else { throw TLSError("cannot make a certificate: \(cText(err))") }
        defer {
            free(cert)
            memset(key, 0, strlen(key))
            free(key)
        }
        return TLSIdentity(certificatePEM: String(cString: cert), keyPEM: String(cString: key))
    }

    /// The user's PEM files; unreadable files and pairs GnuTLS cannot use are errors that name the file.
    public static func load(certificateFile: String, keyFile: String) throws(TLSError) -> TLSIdentity {
        let cert = try read(certificateFile, what: "certificate")
        let key = try read(keyFile, what: "key")
        guard cert.contains("-----BEGIN CERTIFICATE-----") else {
            throw TLSError("\(certificateFile) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        guard key.contains("PRIVATE KEY-----") else {
            throw TLSError("\(keyFile) holds no PEM private key (-----BEGIN ... PRIVATE KEY-----)")
        }
        let identity = TLSIdentity(certificatePEM: cert, keyPEM: key)
        try identity.check(names: "\(certificateFile) and \(keyFile)")
        return identity
    }

    /// Loads the pair into GnuTLS credentials, as libmicrohttpd will, to report problems before listening.
    public func check(names: String = "the certificate and key") throws(TLSError) {
        var err = [CChar](repeating: 0, count: 256)
        guard vcdm_tls_check_pair(certificatePEM, keyPEM, &err, err.count) == 0 else {
            throw TLSError("\(names): \(cText(err))")
        }
    }

    private static func read(_ path: String, what: String) throws(TLSError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TLSError("cannot read the \(what) file \(path) (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw TLSError("\(path) is not a PEM text file") }
        return text
    }
}

public struct TLSError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
