import VCDCore

/// Reads the plain XML most request bodies are, without libxml2: ASCII, an optional `<?xml version="1.0"?>`
/// declaration, elements with namespaces, attributes and text, the five predefined entities. Anything else
/// (comments, CDATA, processing instructions, DOCTYPE, character references, CR, any byte outside ASCII,
/// any error at all) returns nil and `XMLReader` hands the body to libxml2, which answers it exactly as
/// before. For what it accepts, the tree equals libxml2's: the tests and the `xml` fuzz target compare
/// the two on every input. Why: libxml2 2.9 spent ~12k instructions on a 140-byte Task body, a fifth of a POST.
enum PlainXML {
    static let maxDepth = 64
    /// libxml2 refuses names past 50,000 bytes; long names are left to it.
    static let maxName = 1000

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedElement? {
        var r = Reader(bytes)
        return r.document()
    }

    private struct Scope {
        var element: ParsedElement
        /// The start tag's name as written, which the end tag must repeat.
        var qname: Range<Int>
        /// Namespace bindings this element made (prefix, URI); nil prefix = the default namespace.
        var bindings: [(prefix: String?, uri: String?)]
    }

    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0
        var open: [Scope] = []
        /// The start tag being read's attribute names and namespaces, and their values, reused from tag
        /// to tag (names apart: the duplicate check reads them without copying strings).
        var names: [(prefix: Range<Int>?, local: Range<Int>, prefixed: Bool)] = []
        var values: [String] = []

        init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

        var atEnd: Bool { i >= b.count }
        func peek(_ k: Int = 0) -> UInt8 { i + k < b.count ? b[i + k] : 0 }

        mutating func document() -> ParsedElement? {
            // ASCII without control characters but TAB and LF (CR needs line-end normalization: libxml2's).
            for c in b where c >= 0x80 || (c < 0x20 && c != 0x09 && c != 0x0A) { return nil }
            if starts(with: "<?xml") { guard declaration() else { return nil } }
            skipSpace()
            guard peek() == UInt8(ascii: "<"), isNameStart(peek(1)) else { return nil }
            open.reserveCapacity(4)
            names.reserveCapacity(8)
            values.reserveCapacity(8)
            while case .none = closedRoot {  // `== nil` here measured ~500 instructions more per body
                if peek() == UInt8(ascii: "<") {
                    if peek(1) == UInt8(ascii: "/") {
                        guard endTag() else { return nil }
                    } else if isNameStart(peek(1)) {
                        guard open.count < PlainXML.maxDepth, startTag() else { return nil }
                    } else {
                        return nil  // comment, CDATA, processing instruction, DOCTYPE
                    }
                } else {
                    guard !open.isEmpty, text() else { return nil }
                }
            }
            skipSpace()
            return atEnd ? closedRoot : nil
        }

        /// The root element, once it has ended.
        var closedRoot: ParsedElement?

        mutating func starts(with s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard i + n <= b.count else { return false }
            for k in 0..<n where b[i + k] != s.utf8Start[k] { return false }
            return true
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A { i += 1 }
        }

        /// `<?xml version="1.0"[ encoding="UTF-8"][ standalone="yes|no"]?>`, nothing else.
        mutating func declaration() -> Bool {
            i += 5
            var seen = 0
            for (k, name) in [("version", ["1.0"]), ("encoding", ["UTF-8", "utf-8"]), ("standalone", ["yes", "no"])].enumerated() {
                let mark = i
                skipSpace()
                guard i > mark, let (n, v) = pseudoAttribute() else {
                    i = mark
                    if k == 0 { return false }
                    continue
                }
                guard n == name.0 else {
                    i = mark  // not this one: maybe the next (encoding is optional)
                    if k == 0 { return false }
                    continue
                }
                guard name.1.contains(v) else { return false }
                seen += 1
            }
            skipSpace()
            guard seen > 0, starts(with: "?>") else { return false }
            i += 2
            return true
        }

        mutating func pseudoAttribute() -> (String, String)? {
            let start = i
            while i < b.count, isNameChar(b[i]) { i += 1 }
            guard i > start, peek() == UInt8(ascii: "=") else { return nil }
            let name = string(start..<i)
            i += 1
            let quote = peek()
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            i += 1
            let from = i
            while i < b.count, b[i] != quote { i += 1 }
            guard i < b.count else { return nil }
            defer { i += 1 }
            return (name, string(from..<i))
        }

        /// A QName: an NCName, or prefix `:` NCName. Returns the ranges of the prefix and the local part.
        mutating func qname() -> (prefix: Range<Int>?, local: Range<Int>)? {
            let start = i
            guard isNameStart(peek()) else { return nil }
            while i < b.count, isNameChar(b[i]) { i += 1 }
            guard peek() == UInt8(ascii: ":") else { return i - start <= PlainXML.maxName ? (nil, start..<i) : nil }
            let prefix = start..<i
            i += 1
            let local = i
            guard isNameStart(peek()) else { return nil }
            while i < b.count, isNameChar(b[i]) { i += 1 }
            guard peek() != UInt8(ascii: ":") else { return nil }
            return i - start <= PlainXML.maxName ? (prefix, local..<i) : nil
        }

        mutating func startTag() -> Bool {
            i += 1
            let start = i
            guard let name = qname() else { return false }
            let written = start..<i
            names.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            var bindings: [(prefix: String?, uri: String?)] = []
            var empty = false
            while true {
                let mark = i
                skipSpace()
                if peek() == UInt8(ascii: ">") { i += 1; break }
                if peek() == UInt8(ascii: "/") {
                    guard peek(1) == UInt8(ascii: ">") else { return false }
                    i += 2
                    empty = true
                    break
                }
                guard i > mark, let a = qname() else { return false }
                skipSpace()
                guard peek() == UInt8(ascii: "=") else { return false }
                i += 1
                skipSpace()
                guard let value = attributeValue() else { return false }
                if a.prefix == nil && equals(a.local, literal: "xmlns") {
                    guard !bindings.contains(where: { $0.prefix == nil }), allowedNamespace(value) else { return false }
                    bindings.append((nil, value.isEmpty ? nil : value))
                } else if let p = a.prefix, equals(p, literal: "xmlns") {
                    let prefix = string(a.local)
                    guard !value.isEmpty, allowedNamespace(value), prefix != "xml", prefix != "xmlns",
                          !bindings.contains(where: { $0.prefix == prefix }) else { return false }
                    bindings.append((prefix, value))
                } else {
                    names.append((a.prefix, a.local, a.prefix != nil))
                    values.append(value)
                }
            }
            // Names resolve against every binding in scope, this element's included.
            guard let elementURI = resolve(name.prefix, also: bindings) else { return false }
            var uris: [String?] = []  // only when a name has a prefix (rare): their namespaces
            if names.contains(where: \.prefixed) {
                for n in names {
                    guard let p = n.prefix else { uris.append(nil); continue }
                    guard let resolved = resolve(p, also: bindings), let uri = resolved else { return false }
                    uris.append(uri)
                }
            }
            // Twice the same name, or the same local name in the same namespace: libxml2's errors.
            for k in names.indices {
                for e in 0..<k where equals(names[e].local, names[k].local) {
                    if uris.isEmpty || uris[e] == uris[k] || sameQName((names[e].prefix, names[e].local), (names[k].prefix, names[k].local)) {
                        return false
                    }
                }
            }
            var element = ParsedElement(name: string(name.local), namespace: elementURI)
            element.pairs.reserveCapacity(names.count)
            for k in names.indices { element.pairs.append((string(names[k].local), values[k])) }
            if empty { return close(element) }
            open.append(Scope(element: element, qname: written, bindings: bindings))
            return true
        }

        /// The URI bound to `prefix` (nil range = the default namespace): .some(nil) for no namespace,
        /// nil when a prefix is not bound or is one the parser treats specially.
        func resolve(_ prefix: Range<Int>?, also own: [(prefix: String?, uri: String?)]) -> String?? {
            if let prefix {
                if equals(prefix, literal: "xml") || equals(prefix, literal: "xmlns") { return nil }
                for binding in own.reversed() { if let p = binding.prefix, equals(prefix, string: p) { return .some(binding.uri) } }
                for scope in open.reversed() {
                    for binding in scope.bindings.reversed() {
                        if let p = binding.prefix, equals(prefix, string: p) { return .some(binding.uri) }
                    }
                }
                return nil
            }
            for binding in own.reversed() where binding.prefix == nil { return .some(binding.uri) }
            for scope in open.reversed() {
                for binding in scope.bindings.reversed() where binding.prefix == nil { return .some(binding.uri) }
            }
            return .some(nil)
        }

        /// A finished element goes into its parent, or is the document's root.
        mutating func close(_ element: consuming ParsedElement) -> Bool {
            if open.isEmpty {
                closedRoot = element
            } else {
                open[open.count - 1].element.children.append(element)
            }
            return true
        }

        /// `</name>`, the start tag's name repeated; false on a mismatch.
        mutating func endTag() -> Bool {
            guard let scope = open.last else { return false }
            i += 2
            let start = i
            guard qname() != nil, equals(start..<i, scope.qname) else { return false }
            skipSpace()
            guard peek() == UInt8(ascii: ">") else { return false }
            i += 1
            guard let scope = open.popLast() else { return false }
            return close(scope.element)
        }

        /// Character data up to the next `<`, entities decoded, into the innermost element's text.
        mutating func text() -> Bool {
            let start = i
            var plain = true
            while i < b.count, b[i] != UInt8(ascii: "<") {
                if b[i] == UInt8(ascii: "&") { plain = false }
                if b[i] == UInt8(ascii: ">"), i >= start + 2, b[i - 1] == UInt8(ascii: "]"), b[i - 2] == UInt8(ascii: "]") {
                    return false  // `]]>` may not appear in text
                }
                i += 1
            }
            guard i < b.count else { return false }
            let piece = plain ? string(start..<i) : decoded(start..<i, attribute: false)
            guard let piece else { return false }
            open[open.count - 1].element.text += piece
            return true
        }

        /// A quoted value: no `<`; TAB and LF become spaces (attribute-value normalization).
        mutating func attributeValue() -> String? {
            let quote = peek()
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
            i += 1
            let start = i
            var plain = true
            while i < b.count, b[i] != quote {
                switch b[i] {
                case UInt8(ascii: "<"): return nil
                case UInt8(ascii: "&"), 0x09, 0x0A: plain = false
                default: break
                }
                i += 1
            }
            guard i < b.count else { return nil }
            defer { i += 1 }
            return plain ? string(start..<i) : decoded(start..<i, attribute: true)
        }

        /// The five predefined entities; any other `&` (character references included) is left to libxml2.
        func decoded(_ r: Range<Int>, attribute: Bool) -> String? {
            var out: [UInt8] = []
            out.reserveCapacity(r.count)
            var k = r.lowerBound
            while k < r.upperBound {
                let c = b[k]
                if c == UInt8(ascii: "&") {
                    guard let end = (k + 1..<min(k + 6, r.upperBound)).first(where: { b[$0] == UInt8(ascii: ";") }) else { return nil }
                    switch string(k + 1..<end) {
                    case "lt": out.append(UInt8(ascii: "<"))
                    case "gt": out.append(UInt8(ascii: ">"))
                    case "amp": out.append(UInt8(ascii: "&"))
                    case "quot": out.append(UInt8(ascii: "\""))
                    case "apos": out.append(UInt8(ascii: "'"))
                    default: return nil
                    }
                    k = end + 1
                } else {
                    out.append(attribute && (c == 0x09 || c == 0x0A) ? 0x20 : c)
                    k += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        func string(_ r: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
        }

        func equals(_ r: Range<Int>, literal s: StaticString) -> Bool {
            guard r.count == s.utf8CodeUnitCount else { return false }
            for k in 0..<r.count where b[r.lowerBound + k] != s.utf8Start[k] { return false }
            return true
        }

        func equals(_ r: Range<Int>, string s: String) -> Bool {
            s.utf8.elementsEqual(UnsafeBufferPointer(rebasing: b[r]))
        }

        func equals(_ r: Range<Int>, _ o: Range<Int>) -> Bool {
            r.count == o.count && b[r].elementsEqual(b[o])
        }

        func sameQName(_ x: (Range<Int>?, Range<Int>), _ y: (Range<Int>?, Range<Int>)) -> Bool {
            switch (x.0, y.0) {
            case (nil, nil): equals(x.1, y.1)
            case (let p?, let q?): equals(p, q) && equals(x.1, y.1)
            default: false
            }
        }

        /// The XML namespaces themselves may not be bound by a document (libxml2 reports them), and libxml2
        /// hands on an `&amp;` in a namespace name undecoded (`&#38;`): such bodies are left to it.
        func allowedNamespace(_ uri: String) -> Bool {
            uri != "http://www.w3.org/XML/1998/namespace" && uri != "http://www.w3.org/2000/xmlns/"
                && !withUTF8Bytes(uri) { $0.contains(UInt8(ascii: "&")) }  // in place: the UTF8View walk was ~900 instructions
        }

        func isNameStart(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || c == UInt8(ascii: "_")
        }

        func isNameChar(_ c: UInt8) -> Bool {
            isNameStart(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
        }
    }
}
