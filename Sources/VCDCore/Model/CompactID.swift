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

    /// The same from 36 bytes (the render cache's packer reads UUIDs inside documents with it).
    public static func parseUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count == 36 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for i in 0..<36 {
            let b = bytes[i]
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            let v: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = b &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(v) } else { words.1 = words.1 << 4 | UInt64(v) }
            digits += 1
        }
        return words
    }
}

extension String {
    public init(_ id: CompactID) { self = id.description }
}
