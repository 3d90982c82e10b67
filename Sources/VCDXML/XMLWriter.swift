import CLibXML2

/// Writes XML into a byte buffer, byte for byte as libxml2's text writer (2.9) did with this API: the
/// same declaration, `/>` for elements without content, the same escapes. ASCII values are escaped
/// here; a value with any other byte goes through libxml2's own escaping routine for that context, so
/// nothing is ever concatenated unescaped. Why not the text writer itself: its per-call overhead kept a
/// 7.7 MB TasksList at 60-90 MB/s (issue 11, goal 6: 200 MB/s).
public final class XMLWriter {
    private var out: [UInt8] = []
    private var open: [String] = []
    /// A start tag is written up to its attributes and not yet closed with `>` or `/>`.
    private var inStartTag = false
    private static let declaration = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)

    public init() {
        out.reserveCapacity(4096)
        out.append(contentsOf: Self.declaration)
    }

    public func start(_ name: String) {
        if inStartTag { out.append(UInt8(ascii: ">")) }
        out.append(UInt8(ascii: "<"))
        append(name)
        open.append(name)
        inStartTag = true
    }

    /// Writes an attribute; nil values are skipped so optional attributes read naturally at call sites.
    public func attribute(_ name: String, _ value: String?) {
        guard let value, inStartTag else { return }
        out.append(0x20)
        append(name)
        out.append(UInt8(ascii: "="))
        out.append(UInt8(ascii: "\""))
        escape(value, attribute: true)
        out.append(UInt8(ascii: "\""))
    }

    public func text(_ value: String) {
        if inStartTag {
            out.append(UInt8(ascii: ">"))
            inStartTag = false
        }
        escape(value, attribute: false)
    }

    public func end() {
        guard let name = open.popLast() else { return }
        if inStartTag {
            out.append(UInt8(ascii: "/"))
            out.append(UInt8(ascii: ">"))
            inStartTag = false
        } else {
            out.append(UInt8(ascii: "<"))
            out.append(UInt8(ascii: "/"))
            append(name)
            out.append(UInt8(ascii: ">"))
        }
    }

    /// `<name attrs…>text</name>`
    public func element(_ name: String, _ text: String) {
        start(name)
        self.text(text)
        end()
    }

    /// Ends the document and returns its bytes.
    public func finish() -> [UInt8] {
        while !open.isEmpty { end() }
        out.append(0x0A)
        return out
    }

    private func append(_ s: String) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Text: `< > & "` and CR as entities (xmlEncodeSpecialChars); attributes also TAB and LF
    /// (xmlAttrSerializeTxtContent). libxml2 read values as C strings: a NUL ends them.
    private func escape(_ value: String, attribute: Bool) {
        var value = value
        value.withUTF8 { b in
            var end = 0, special = false, ascii = true
            while end < b.count {
                let c = b[end]
                if c == 0 { break }
                if c >= 0x80 { ascii = false } else if Self.needsEscape(c, attribute) { special = true }
                end += 1
            }
            let bytes = UnsafeBufferPointer(rebasing: b[0 ..< end])
            if !special && (ascii || !attribute) {
                out.append(contentsOf: bytes)
            } else if !ascii && attribute {
                libxml2Attribute(bytes)
            } else {
                for c in bytes {
                    switch c {
                    case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
                    case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
                    case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
                    case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
                    case 0x0D: out.append(contentsOf: [0x26, 0x23, 0x31, 0x33, 0x3B])  // &#13;
                    case 0x0A where attribute: out.append(contentsOf: [0x26, 0x23, 0x31, 0x30, 0x3B])  // &#10;
                    case 0x09 where attribute: out.append(contentsOf: [0x26, 0x23, 0x39, 0x3B])  // &#9;
                    default: out.append(c)
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func needsEscape(_ c: UInt8, _ attribute: Bool) -> Bool {
        switch c {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "\""), 0x0D: true
        case 0x0A, 0x09: attribute
        default: false
        }
    }

    /// Non-ASCII attribute values: libxml2 writes them as character references; let it.
    private func libxml2Attribute(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let buffer = xmlBufferCreate() else { return }
        defer { xmlBufferFree(buffer) }
        var cString = Array(bytes)
        cString.append(0)
        cString.withUnsafeBufferPointer { xmlAttrSerializeTxtContent(buffer, nil, nil, $0.baseAddress) }
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: content, count: count))
    }
}

func withXMLChar<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
    text.withCString { ptr in
        ptr.withMemoryRebound(to: xmlChar.self, capacity: 1) { body($0) }
    }
}
