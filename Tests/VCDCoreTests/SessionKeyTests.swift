import Testing
@testable import VCDCore

/// The sessions table's key: the token's bytes decide equality and the hash.
@Suite struct SessionKeyTests {
    @Test func equalTokensAreEqualKeysWithOneHash() {
        let token = "3f9a0c1be27d4a5f8c6e1d2b7a9f0e3c5b8d1a7e2c4f6b9d0a1c3e5f7b9d2a4c"
        let a = SessionKey(token), b = SessionKey(String(token.utf8.map { Character(Unicode.Scalar($0)) }))
        #expect(a == b && a.hashValue == b.hashValue)
    }

    @Test(arguments: [0, 7, 8, 31, 62, 63])
    func oneByteApartIsAnotherKey(_ at: Int) {
        let token = Array("3f9a0c1be27d4a5f8c6e1d2b7a9f0e3c5b8d1a7e2c4f6b9d0a1c3e5f7b9d2a4c".utf8)
        var other = token
        other[at] = other[at] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(SessionKey(String(decoding: token, as: UTF8.self)) != SessionKey(String(decoding: other, as: UTF8.self)))
        #expect(SessionKey("abc") != SessionKey("abcd") && SessionKey("") == SessionKey(""))
    }

    /// Canonically equivalent spellings are equal Strings but different tokens.
    @Test func tokensCompareByBytesNotByUnicodeEquivalence() {
        #expect("caf\u{E9}" == "cafe\u{301}")
        #expect(SessionKey("caf\u{E9}") != SessionKey("cafe\u{301}"))
    }
}
