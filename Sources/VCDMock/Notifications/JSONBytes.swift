import VCDCore

/// A JSON object written straight into bytes: string values are escaped while they are copied, so the
/// common value (nothing to escape) costs one pass and no intermediate String.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `{"name":"value"` or `,"name":"value"`.
    mutating func field(_ name: StaticString, _ value: String, first: Bool = false) {
        open(name, first: first)
        escaped(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An id, a UUID printed from its 16 bytes in place.
    mutating func field(_ name: StaticString, id: CompactID, first: Bool = false) {
        open(name, first: first)
        switch id {
        case .uuid(let hi, let lo):
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
                writeUUID(hi, lo, into: text.baseAddress!)
                bytes.append(contentsOf: text)
            }
        case .text(let text): escaped(text)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A time as `Timestamp.iso8601` prints it, written in place.
    mutating func field(_ name: StaticString, time: Timestamp) {
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { text -> Bool in
            guard time.writeISO8601(into: text) else { return false }
            open(name, first: false)
            bytes.append(contentsOf: text)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        if !written { field(name, time.iso8601) }
    }

    /// A `urn:vcloud:<kind>:<id>` value, written in parts.
    mutating func urnField(_ name: StaticString, _ kind: String, _ id: String) {
        open(name, first: false)
        raw("urn:vcloud:")
        escaped(kind)
        bytes.append(UInt8(ascii: ":"))
        escaped(id)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func open(_ name: StaticString, first: Bool) {
        raw(first ? "{\"" : ",\"")
        raw(name)
        raw("\":\"")
    }

    /// Quotes, backslashes and control characters escaped (RFC 8259); every other byte as it is.
    mutating func escaped(_ value: String) {
        withUTF8Bytes(value) { utf8 in
            // Most values need nothing escaped: one check per byte, one copy.
            if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                bytes.append(contentsOf: utf8)
                return
            }
            var from = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from..<i]))
                switch b {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case UInt8(ascii: "\n"): raw("\\n")
                case UInt8(ascii: "\r"): raw("\\r")
                case UInt8(ascii: "\t"): raw("\\t")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    raw("\\u00")
                    bytes.append(hex[Int(b >> 4)])
                    bytes.append(hex[Int(b & 0xF)])
                }
                from = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from...]))
        }
    }
}
