import CLibXML2
import VCDCore

/// The bytes of one XML document and where the writing stands, as a value: a renderer that keeps it in a
/// local variable (or gets it `inout`) pays no exclusivity check per append, which a class property does
/// (measured at ~10% of a 10,000-org OrgList). `XMLWriter` wraps one for the documents that pass a writer
/// around. Output is byte for byte libxml2 2.9's text writer: see `XMLWriter`.
///
/// An attribute value may be written in parts (`attribute(name) { … }` with `value`, `raw`, `id`,
/// `time`): the result is the one of escaping the concatenated string, because escaping goes character by
/// character, and a NUL in one part ends the whole value as it did when libxml2 read it as a C string.
public struct XMLOutput {
    public private(set) var bytes: [UInt8] = []
    private var open: [Name] = []
    /// A start tag is written up to its attributes and not yet closed with `>` or `/>`.
    private var inStartTag = false
    /// The attribute value being written met a NUL: its remaining parts are dropped.
    private var cut = false

    /// Element names: literals cost nothing to keep on the stack of open elements.
    enum Name {
        case literal(StaticString)
        case string(String)
    }

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(max(capacity, 64))
        put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// No declaration, inside a start tag: where a `Fragment` is made.
    init(inStartTag: ()) {
        self.inStartTag = true
    }

    var isCut: Bool { cut }

    // MARK: elements

    public mutating func start(_ name: StaticString) {
        openTag()
        put(name)
        open.append(.literal(name))
    }

    /// A name that is not a literal (XMLWriter's callers).
    public mutating func start(name: String) {
        openTag()
        put(name)
        open.append(.string(name))
    }

    private mutating func openTag() {
        if inStartTag { bytes.append(UInt8(ascii: ">")) }
        bytes.append(UInt8(ascii: "<"))
        inStartTag = true
    }

    /// Writes an attribute; nil values are skipped so optional attributes read naturally at call sites.
    public mutating func attribute(_ name: StaticString, _ value: String?) {
        guard let value, inStartTag else { return }
        attributeStart(name)
        escape(value, attribute: true)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func attribute(name: String, _ value: String?) {
        guard let value, inStartTag else { return }
        bytes.append(0x20)
        put(name)
        put("=\"")
        cut = false
        escape(value, attribute: true)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An attribute whose value `parts` writes in pieces (`value`, `raw`, `id`, `time`).
    public mutating func attribute(_ name: StaticString, parts: (inout XMLOutput) -> Void) {
        guard inStartTag else { return }
        attributeStart(name)
        parts(&self)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func attributeStart(_ name: StaticString) {
        bytes.append(0x20)
        put(name)
        put("=\"")
        cut = false
    }

    public mutating func text(_ value: String) {
        if inStartTag {
            bytes.append(UInt8(ascii: ">"))
            inStartTag = false
        }
        cut = false
        escape(value, attribute: false)
    }

    public mutating func end() {
        guard let name = open.popLast() else { return }
        if inStartTag {
            put("/>")
            inStartTag = false
        } else {
            put("</")
            switch name {
            case .literal(let s): put(s)
            case .string(let s): put(s)
            }
            bytes.append(UInt8(ascii: ">"))
        }
    }

    /// `<name attrs…>text</name>`
    public mutating func element(_ name: StaticString, _ text: String) {
        start(name)
        self.text(text)
        end()
    }

    /// Ends the document and returns its bytes.
    public mutating func finish() -> [UInt8] {
        while !open.isEmpty { end() }
        bytes.append(0x0A)
        return bytes
    }

    // MARK: parts of an attribute value

    /// Value text that needs no escaping (ASCII without `< > & "`, CR, LF, TAB or NUL).
    public mutating func raw(_ s: StaticString) {
        guard !cut else { return }
        put(s)
    }

    /// Markup: names and entities, never cut.
    private mutating func put(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func put(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Value text, escaped as libxml2 escapes attribute values.
    public mutating func value(_ s: String) { escape(s, attribute: true) }

    /// The same for text already in UTF-8 bytes (`OrgNames`).
    mutating func value(utf8: UnsafeBufferPointer<UInt8>) {
        guard !cut else { return }
        escape(utf8, attribute: true)
    }

    /// An id as text: a UUID's 36 characters straight from its 16 bytes.
    public mutating func id(_ id: CompactID) {
        switch id {
        case .text(let text): escape(text, attribute: true)
        case .uuid(let hi, let lo):
            guard !cut else { return }
            var text: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &text) { out in
                func nibbles(_ word: UInt64, _ from: Int, _ count: Int, at: Int) {
                    for i in 0..<count {
                        let v = UInt8(truncatingIfNeeded: word >> (UInt64(from - i) * 4)) & 0xF
                        out[at + i] = v < 10 ? 48 + v : 87 + v
                    }
                }
                nibbles(hi, 15, 8, at: 0); out[8] = UInt8(ascii: "-"); nibbles(hi, 7, 4, at: 9); out[13] = UInt8(ascii: "-")
                nibbles(hi, 3, 4, at: 14); out[18] = UInt8(ascii: "-"); nibbles(lo, 15, 4, at: 19); out[23] = UInt8(ascii: "-")
                nibbles(lo, 11, 12, at: 24)
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[0..<36]).bindMemory(to: UInt8.self))
            }
        }
    }

    /// A `Fragment.attribute` inside the start tag being written.
    public mutating func markup(_ f: Fragment) {
        guard inStartTag else { return }
        bytes.append(contentsOf: f.bytes)
    }

    /// A `Fragment.value` as a part of an attribute value (an escaped base URL).
    public mutating func fragment(_ f: Fragment) {
        guard !cut else { return }
        bytes.append(contentsOf: f.bytes)
        cut = f.cut
    }

    /// A time as `Timestamp.iso8601` prints it.
    public mutating func time(_ t: Timestamp) {
        guard !cut else { return }
        t.appendISO8601(to: &bytes)
    }

    // MARK: escaping

    /// Text: `< > & "` and CR as entities (xmlEncodeSpecialChars); attributes also TAB and LF
    /// (xmlAttrSerializeTxtContent). libxml2 read values as C strings: a NUL ends them.
    private mutating func escape(_ value: String, attribute: Bool) {
        guard !cut else { return }
        if value.utf8.withContiguousStorageIfAvailable({ escape($0, attribute: attribute) }) == nil {
            var value = value
            value.withUTF8 { escape($0, attribute: attribute) }
        }
    }

    private mutating func escape(_ b: UnsafeBufferPointer<UInt8>, attribute: Bool) {
        var end = 0, special = false, ascii = true
        while end < b.count {
            let c = b[end]
            if c == 0 {
                cut = true
                break
            }
            if c >= 0x80 { ascii = false } else if Self.needsEscape(c, attribute) { special = true }
            end += 1
        }
        let part = UnsafeBufferPointer(rebasing: b[0 ..< end])
        if !special && (ascii || !attribute) {
            bytes.append(contentsOf: part)
        } else if !ascii && attribute {
            libxml2Attribute(part)
        } else {
            for c in part {
                switch c {
                case UInt8(ascii: "<"): put("&lt;")
                case UInt8(ascii: ">"): put("&gt;")
                case UInt8(ascii: "&"): put("&amp;")
                case UInt8(ascii: "\""): put("&quot;")
                case 0x0D: put("&#13;")
                case 0x0A where attribute: put("&#10;")
                case 0x09 where attribute: put("&#9;")
                default: bytes.append(c)
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
    private mutating func libxml2Attribute(_ part: UnsafeBufferPointer<UInt8>) {
        guard let buffer = xmlBufferCreate() else { return }
        defer { xmlBufferFree(buffer) }
        var cString = Array(part)
        cString.append(0)
        cString.withUnsafeBufferPointer { xmlAttrSerializeTxtContent(buffer, nil, nil, $0.baseAddress) }
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return }
        bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: count))
    }
}
