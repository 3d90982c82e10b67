import CMicroHTTPDShims

/// HMAC-SHA256 and key-grade random bytes from GnuTLS (already linked for HTTPS).
public enum HMAC {
    public static func sha256(key: [UInt8], data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let rc = key.withUnsafeBytes { k in
            data.withUnsafeBytes { d in vcdm_hmac_sha256(k.baseAddress, k.count, d.baseAddress, d.count, &out) }
        }
        // gnutls_hmac_fast fails only if SHA-256 is missing, which no GnuTLS build allows.
        precondition(rc == 0, "gnutls_hmac_fast(SHA256) failed")
        return out
    }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        if vcdm_random(&out, count) != 0 {
            var g = SystemRandomNumberGenerator()
            for i in out.indices { out[i] = UInt8.random(in: 0...255, using: &g) }
        }
        return out
    }
}
