/// The one percent decoder of the request path (query items, route parameters). Not Foundation's
/// `removingPercentEncoding`: that gives nil for a whole value with one malformed escape and knows no
/// `+` for space in forms; here malformed escapes stay as sent. (AMQP URLs use URLComponents.)
public enum PercentDecoding {
    /// Decodes %XX escapes; malformed escapes are kept as they are.
    public static func decode(_ text: String, plusIsSpace: Bool = false) -> String {
        var text = text
        let plain = text.withUTF8 { bytes in
            !bytes.contains { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }
        }
        guard !plain else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
