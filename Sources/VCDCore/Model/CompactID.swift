/// An id as the store keeps it: a canonical lowercase UUID as its 16 bytes, any other text (fixture ids
/// such as "26") as it was given. `String(id)` gives back exactly the text it was made from.
public enum CompactID: Hashable, Sendable, CustomStringConvertible {
    case uuid(UInt64, UInt64)
    case text(String)

    public init(_ text: String) {
        if let (hi, lo) = Self.parseUUID(text) { self = .uuid(hi, lo) } else { self = .text(text) }
    }

    public var description: String {
        switch self {
        case .uuid(let hi, let lo): uuidText(hi, lo)
        case .text(let text): text
        }
    }

    /// 128 bits from `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lowercase hex; anything else (upper case
    /// included, which would not print back the same) is nil.
    static func parseUUID(_ text: String) -> (UInt64, UInt64)? {
        withUTF8Bytes(text) { parseUUID($0) }
    }

    /// The same from 36 bytes (the render cache's packer reads UUIDs inside documents with it). Runs on
    /// every GET of an object by id: eight digits at a time in a 64-bit word (a digit at a time was ~500-900
    /// instructions; Swift's SIMD16 types were scalarized and cost more still).
    public static func parseUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count == 36, let p = bytes.baseAddress else { return nil }
        let dash = UInt8(ascii: "-")
        guard p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return nil }
        let raw = UnsafeRawPointer(p)
        func load(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        func load4(_ at: Int) -> UInt64 { UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))) }
        // Digits 0..<8, 9..<13 + 14..<18, 19..<23 + 24..<28, 28..<36: four words of eight.
        guard let a = hex8(load(0)), let b = hex8(load4(9) | load4(14) << 32),
              let c = hex8(load4(19) | load4(24) << 32), let d = hex8(load(28)) else { return nil }
        return (UInt64(a) << 32 | UInt64(b), UInt64(c) << 32 | UInt64(d))
    }

    /// Eight lowercase hex digits (the first in the lowest byte) as the number they spell, or nil.
    @inline(__always)
    private static func hex8(_ x: UInt64) -> UInt32? {
        let ones: UInt64 = 0x0101_0101_0101_0101, high = 0x8080_8080_8080_8080 as UInt64
        guard x & high == 0 else { return nil }
        // Per byte, no carries between bytes (every byte is below 0x80): a digit is 0x30 ^ (0...9), a
        // letter 0x60 ^ (1...6).
        let d = x ^ (0x30 &* ones), l = x ^ (0x60 &* ones)
        let isDigit = ~(d &+ 0x76 &* ones) & high
        let isLetter = (l &+ 0x7F &* ones) & ~(l &+ 0x79 &* ones) & high
        guard isDigit | isLetter == high else { return nil }
        let nibbles = (x & (0x0F &* ones)) &+ (isLetter >> 7) &* 9
        // Pairs into bytes (the first digit high), then the four bytes together, first one most significant.
        let pairs = (nibbles << 4 | nibbles >> 8) & 0x00FF_00FF_00FF_00FF
        let quads = (pairs | pairs >> 8) & 0x0000_FFFF_0000_FFFF
        return UInt32(bigEndian: UInt32(truncatingIfNeeded: quads | quads >> 16))
    }
}

extension String {
    public init(_ id: CompactID) { self = id.description }
}
