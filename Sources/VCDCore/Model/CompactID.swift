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
        var text = text
        return text.withUTF8 { parseUUID($0) }
    }

    /// The same from 36 bytes (the render cache's packer reads UUIDs inside documents with it). Runs on
    /// every GET of an object by id: a table gives each byte's value (0xFF: not a lowercase hex digit), and
    /// the four dashes are checked once (a digit-by-digit `switch` was ~900 instructions).
    public static func parseUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count == 36, let p = bytes.baseAddress else { return nil }
        let dash = UInt8(ascii: "-")
        guard p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return nil }
        return hexValues.withUnsafeBufferPointer { table -> (UInt64, UInt64)? in
            guard let t = table.baseAddress else { return nil }
            // Digit d (0...31) sits at d plus the dashes before it (before digits 8, 12, 16 and 20).
            var hi: UInt64 = 0, lo: UInt64 = 0, bad: UInt8 = 0
            for d in 0..<16 {
                let v = t[Int(p[d + (d >= 8 ? 1 : 0) + (d >= 12 ? 1 : 0)])]
                bad |= v
                hi = hi << 4 | UInt64(v & 0x0F)
            }
            for d in 16..<32 {
                let v = t[Int(p[d + (d >= 20 ? 4 : 3)])]
                bad |= v
                lo = lo << 4 | UInt64(v & 0x0F)
            }
            return bad & 0xF0 == 0 ? (hi, lo) : nil
        }
    }

    /// Each byte's value as a lowercase hex digit, or 0xFF.
    private static let hexValues: [UInt8] = (0..<256).map { b in
        switch UInt8(b) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(b) &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(b) &- UInt8(ascii: "a") &+ 10
        default: 0xFF
        }
    }
}

extension String {
    public init(_ id: CompactID) { self = id.description }
}
