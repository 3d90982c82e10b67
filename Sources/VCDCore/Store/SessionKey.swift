#if canImport(Glibc)
import Glibc
#endif

/// A session token as the sessions table's key. Hashed a word at a time (folded into one word for the
/// seeded `Hasher`), not a byte at a time: a token is random hex, and every request looks one up
/// (`Hasher.combine(bytes:)` over 64 bytes was ~500 instructions). Equality is byte for byte, as the hash
/// is (String's `==` would call two canonically equivalent spellings of a token equal).
struct SessionKey: Hashable, Sendable {
    let token: String
    init(_ token: String) { self.token = token }

    static func == (a: Self, b: Self) -> Bool {
        withUTF8Bytes(a.token) { p in
            withUTF8Bytes(b.token) { q in
                guard p.count == q.count, let pa = p.baseAddress, let qa = q.baseAddress else { return p.count == q.count }
                return memcmp(pa, qa, p.count) == 0
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(withUTF8Bytes(token) { b -> UInt64 in
            guard let p = b.baseAddress else { return 0 }
            let raw = UnsafeRawPointer(p)
            var h = UInt64(b.count) &* 0x9E37_79B9_7F4A_7C15
            var i = 0
            while i + 8 <= b.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                h ^= h >> 29
                i += 8
            }
            while i < b.count {
                h = (h ^ UInt64(p[i])) &* 0x94D0_49BB_1331_11EB
                i += 1
            }
            return h
        })
    }
}
