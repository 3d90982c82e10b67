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
public struct XMLOutput: ~Copyable {
    /// The document so far, in a buffer of its own: appending is a capacity check and a memcpy
    /// (`Array.append(contentsOf:)` cost ~95 instructions a call, 5k of a POST's Task document).
    /// Noncopyable, so no two values can share it.
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
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
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
        open.reserveCapacity(8)
        put(literal: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// No declaration, inside a start tag: where a `Fragment` is made.
    init(inStartTag: ()) {
        capacity = 64
        base = .allocate(capacity: capacity)
        self.inStartTag = true
    }

    deinit { base.deallocate() }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

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
        if inStartTag { append(UInt8(ascii: ">")) }
        append(UInt8(ascii: "<"))
        inStartTag = true
    }

    /// Writes an attribute; nil values are skipped so optional attributes read naturally at call sites.
    public mutating func attribute(_ name: StaticString, _ value: String?) {
        guard let value, inStartTag else { return }
        attributeStart(name)
        escape(value, attribute: true)
        append(UInt8(ascii: "\""))
    }

    public mutating func attribute(name: String, _ value: String?) {
        guard let value, inStartTag else { return }
        append(0x20)
        put(name)
        put(literal: "=\"")
        cut = false
        escape(value, attribute: true)
        append(UInt8(ascii: "\""))
    }

    /// An attribute whose value `parts` writes in pieces (`value`, `raw`, `id`, `time`).
    public mutating func attribute(_ name: StaticString, parts: (inout XMLOutput) -> Void) {
        guard inStartTag else { return }
        attributeStart(name)
        parts(&self)
        append(UInt8(ascii: "\""))
    }

    private mutating func attributeStart(_ name: StaticString) {
        append(0x20)
        put(name)
        put(literal: "=\"")
        cut = false
    }

    public mutating func text(_ value: String) {
        if inStartTag {
            append(UInt8(ascii: ">"))
            inStartTag = false
        }
        cut = false
        escape(value, attribute: false)
    }

    public mutating func end() {
        guard let name = open.popLast() else { return }
        if inStartTag {
            put(literal: "/>")
            inStartTag = false
        } else {
            put(literal: "</")
            switch name {
            case .literal(let s): put(s)
            case .string(let s): put(s)
            }
            append(UInt8(ascii: ">"))
        }
    }

    /// `<name attrs…>text</name>`
    public mutating func element(_ name: StaticString, _ text: String) {
        start(name)
        self.text(text)
        end()
    }

    /// `<name>time</name>`, the time as `Timestamp.iso8601` prints it, written in place.
    public mutating func element(_ name: StaticString, time t: Timestamp) {
        start(name)
        text("")
        time(t)
        end()
    }

    /// Ends the document and returns its bytes.
    public mutating func finish() -> [UInt8] {
        while !open.isEmpty { end() }
        append(0x0A)
        return bytes
    }

    // MARK: the buffer

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        if count == capacity { grow(1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    private mutating func append(_ start: UnsafePointer<UInt8>, _ n: Int) {
        if capacity &- count < n { grow(n) }
        (base + count).update(from: start, count: n)
        count &+= n
    }

    private mutating func append(_ part: UnsafeBufferPointer<UInt8>) {
        guard let start = part.baseAddress else { return }
        append(start, part.count)
    }

    /// Room for `n` more bytes, written by `body` straight into the buffer; it returns how many it wrote.
    @inline(__always)
    private mutating func write(upTo n: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if capacity &- count < n { grow(n) }
        count &+= body(base + count)
    }

    @inline(never)
    private mutating func grow(_ n: Int) {
        let bigger = max(capacity * 2, count + n)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        fresh.initialize(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = bigger
    }

    // MARK: parts of an attribute value

    /// Value text that needs no escaping (ASCII without `< > & "`, CR, LF, TAB or NUL).
    public mutating func raw(_ s: StaticString) {
        guard !cut else { return }
        put(s)
    }

    /// Markup: names and entities, never cut. (A bare literal would pick the String overload.)
    private mutating func put(literal s: StaticString) { put(s) }

    private mutating func put(_ s: StaticString) {
        if s.hasPointerRepresentation {
            append(s.utf8Start, s.utf8CodeUnitCount)
        } else {
            s.withUTF8Buffer { append($0) }
        }
    }

    private mutating func put(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ append($0) }) == nil {
            var s = s
            s.withUTF8 { append($0) }
        }
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
            write(upTo: 36) { out in
                writeUUID(hi, lo, into: out)
                return 36
            }
        }
    }

    /// A `Fragment.attribute` inside the start tag being written.
    public mutating func markup(_ f: Fragment) {
        guard inStartTag else { return }
        f.bytes.withUnsafeBufferPointer { append($0) }
    }

    /// A `Fragment.value` as a part of an attribute value (an escaped base URL).
    public mutating func fragment(_ f: Fragment) {
        guard !cut else { return }
        f.bytes.withUnsafeBufferPointer { append($0) }
        cut = f.cut
    }

    /// A time as `Timestamp.iso8601` prints it.
    public mutating func time(_ t: Timestamp) {
        guard !cut else { return }
        var written = false
        write(upTo: 24) { out in
            written = t.writeISO8601(into: UnsafeMutableBufferPointer(start: out, count: 24))
            return written ? 24 : 0
        }
        if !written { put(t.iso8601) }
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
        // One bit per byte below 0x40 that needs an entity (or is NUL, which ends the value).
        let mask = attribute ? Self.attributeSpecials : Self.textSpecials
        var end = 0, special = false, ascii = true
        guard let p = b.baseAddress else { return }
        let n = b.count
        while end < n {
            let c = p[end]
            if c < 0x40 {
                if mask & (1 << UInt64(c)) != 0 {
                    if c == 0 {
                        cut = true
                        break
                    }
                    special = true
                }
            } else if c >= 0x80 {
                ascii = false
            }
            end &+= 1
        }
        let part = UnsafeBufferPointer(rebasing: b[0 ..< end])
        if !special && (ascii || !attribute) {
            append(part)
        } else if !ascii && attribute {
            libxml2Attribute(part)
        } else {
            for c in part {
                switch c {
                case UInt8(ascii: "<"): put(literal: "&lt;")
                case UInt8(ascii: ">"): put(literal: "&gt;")
                case UInt8(ascii: "&"): put(literal: "&amp;")
                case UInt8(ascii: "\""): put(literal: "&quot;")
                case 0x0D: put(literal: "&#13;")
                case 0x0A where attribute: put(literal: "&#10;")
                case 0x09 where attribute: put(literal: "&#9;")
                default: append(c)
                }
            }
        }
    }

    /// `< > & "`, CR and NUL; attribute values also TAB and LF.
    private static let textSpecials: UInt64 = 1 << 0x3C | 1 << 0x3E | 1 << 0x26 | 1 << 0x22 | 1 << 0x0D | 1
    private static let attributeSpecials: UInt64 = textSpecials | 1 << 0x0A | 1 << 0x09

    /// Non-ASCII attribute values: libxml2 writes them as character references; let it.
    private mutating func libxml2Attribute(_ part: UnsafeBufferPointer<UInt8>) {
        guard let buffer = xmlBufferCreate() else { return }
        defer { xmlBufferFree(buffer) }
        var cString = Array(part)
        cString.append(0)
        cString.withUnsafeBufferPointer { xmlAttrSerializeTxtContent(buffer, nil, nil, $0.baseAddress) }
        let length = Int(xmlBufferLength(buffer))
        guard length > 0, let content = xmlBufferContent(buffer) else { return }
        append(content, length)
    }
}
