/// A fast reader for the plain block-style YAML that fixture files are made of: `key: value` mappings,
/// `- ` sequences, plain, single- and double-quoted one-line scalars, comments, `[]` and `{}`. It builds a
/// `YAMLTree` straight from the bytes. Anything it is not sure to read exactly as libyaml would (tabs,
/// non-ASCII text, anchors, tags, flow collections with content, block or multi-line scalars, empty
/// values, duplicate keys, odd indentation, several documents) makes it return nil, and the caller reads
/// the file with Yams instead, which also reports real errors with their line.
///
/// Why: composing Yams' node tree for 10,000 orgs (24 MB) took most of a 33-second start (profile in
/// docs/BENCHMARKS.md); this reads the same file in a fraction of a second.
struct BlockYAMLParser {
    private struct Line {
        var number: Int  // 1-based
        var indent: Int  // offset of the first non-space byte
        var start: Int  // offset of the line in the file
        var end: Int  // offset after the last content byte (comments included; trailing spaces not)
    }

    private struct Bail: Error {}

    private let tree: YAMLTree
    /// The file (the tree's bytes start with it) and the decoded text of quoted scalars, appended at the end.
    private let bytes: [UInt8]
    private var extra: [UInt8] = []
    private var lines: [Line] = []
    private var i = 0  // current line
    private static let indicators: [UInt8] = Array(",[]{}#&*!|>'\"%@`".utf8)

    static func parse(_ bytes: [UInt8]) -> YAMLTree? {
        var p = BlockYAMLParser(bytes: bytes)
        do {
            try p.splitLines()
            if !p.lines.isEmpty {
                let root = try p.node(at: p.lines[0].indent)
                guard p.i == p.lines.count else { return nil }
                p.tree.root = root
            }
        } catch {
            return nil
        }
        if !p.extra.isEmpty { p.tree.bytes.append(contentsOf: p.extra) }
        return p.tree
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        self.tree = YAMLTree(bytes: bytes)
    }

    /// Significant lines only (blank and comment-only lines dropped); bails on bytes it does not handle.
    private mutating func splitLines() throws(Bail) {
        let count = bytes.count
        lines.reserveCapacity(count / 24)
        try bytes.withUnsafeBufferPointer { b throws(Bail) in
            var pos = 0, number = 0
            while pos < count {
                number += 1
                let start = pos
                var indent = pos
                while indent < count && b[indent] == 0x20 { indent += 1 }
                var end = indent
                var last = indent  // after the last non-space byte
                while end < count && b[end] != 0x0A {
                    let c = b[end]
                    guard c >= 0x20 && c < 0x7F else { throw Bail() }  // tabs, CR, controls, non-ASCII
                    end += 1
                    if c != 0x20 { last = end }
                }
                pos = end + 1
                if indent == last || b[indent] == UInt8(ascii: "#") { continue }
                if indent == start {
                    let c = b[indent]
                    if c == UInt8(ascii: "%") { throw Bail() }
                    if last - indent >= 3 && (c == UInt8(ascii: "-") || c == UInt8(ascii: "."))
                        && b[indent + 1] == c && b[indent + 2] == c { throw Bail() }  // --- or ...
                }
                lines.append(Line(number: number, indent: indent - start, start: start, end: last))
            }
        }
    }

    @inline(__always) private func byte(_ offset: Int) -> UInt8 { bytes[offset] }

    /// The block node whose first content is at column `column` of line `i`.
    private mutating func node(at column: Int) throws(Bail) -> Int32 {
        let line = lines[i]
        let at = line.start + column
        if isDash(at, line.end) { return try sequence(column: column) }
        if keyEnd(from: at, to: line.end) != nil { return try mapping(column: column) }
        throw Bail()  // a scalar on a line of its own, or something not handled
    }

    /// `-` followed by a space or the end of the line.
    private func isDash(_ at: Int, _ end: Int) -> Bool {
        byte(at) == UInt8(ascii: "-") && (at + 1 == end || byte(at + 1) == 0x20)
    }

    /// For a `key:` at `from`, the offset of its colon: a simple key (letters, digits, `_`, `-`, `.`, not
    /// starting with `-` or `.`) followed by `:` and a space or the end of the line.
    private func keyEnd(from: Int, to end: Int) -> Int? {
        var p = from
        while p < end {
            let c = byte(p)
            if c == UInt8(ascii: ":") {
                guard p > from, p + 1 == end || byte(p + 1) == 0x20 else { return nil }
                return p
            }
            let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
                || (p > from && (c == 0x2D || c == 0x2E))
            guard ok else { return nil }
            p += 1
        }
        return nil
    }

    private mutating func mapping(column: Int) throws(Bail) -> Int32 {
        let firstLine = lines[i].number
        var children: [Int32] = []
        var first = true
        while i < lines.count {
            let line = lines[i]
            if !first {
                if line.indent < column { break }
                guard line.indent == column else { throw Bail() }
                if isDash(line.start + column, line.end) { break }  // ends an indentless sequence's parent
            }
            first = false
            let keyStart = line.start + column
            guard let colon = keyEnd(from: keyStart, to: line.end) else { throw Bail() }
            let key = tree.addScalar(line: line.number, start: keyStart, count: colon - keyStart)
            for k in stride(from: 0, to: children.count, by: 2) where sameText(children[k], key) { throw Bail() }
            var valueStart = colon + 1
            while valueStart < line.end && byte(valueStart) == 0x20 { valueStart += 1 }
            let value: Int32
            if valueStart < line.end && byte(valueStart) != UInt8(ascii: "#") {
                value = try inlineValue(line, from: valueStart)
                i += 1
                if i < lines.count && lines[i].indent > column { throw Bail() }  // a continued scalar
            } else {
                i += 1
                guard i < lines.count else { throw Bail() }  // an empty value
                let next = lines[i]
                if next.indent > column {
                    value = try node(at: next.indent)
                } else if next.indent == column && isDash(next.start + column, next.end) {
                    value = try sequence(column: column)
                } else {
                    throw Bail()  // an empty value
                }
            }
            children.append(key)
            children.append(value)
        }
        return tree.addCollection(.mapping, line: firstLine, children: children)
    }

    private mutating func sequence(column: Int) throws(Bail) -> Int32 {
        let firstLine = lines[i].number
        var children: [Int32] = []
        while i < lines.count {
            let line = lines[i]
            if line.indent < column { break }
            guard line.indent == column else { throw Bail() }
            guard isDash(line.start + column, line.end) else { break }  // the parent mapping's next key
            var itemStart = line.start + column + 1
            while itemStart < line.end && byte(itemStart) == 0x20 { itemStart += 1 }
            guard itemStart < line.end, byte(itemStart) != UInt8(ascii: "#") else { throw Bail() }
            if isDash(itemStart, line.end) { throw Bail() }  // `- - x`
            let itemColumn = itemStart - line.start
            if keyEnd(from: itemStart, to: line.end) != nil {
                children.append(try mapping(column: itemColumn))
            } else {
                children.append(try inlineValue(line, from: itemStart))
                i += 1
                if i < lines.count && lines[i].indent > column { throw Bail() }
            }
        }
        return tree.addCollection(.sequence, line: firstLine, children: children)
    }

    /// Keys only: they are always in the file's bytes.
    private func sameText(_ a: Int32, _ b: Int32) -> Bool {
        let x = tree.nodes[Int(a)], y = tree.nodes[Int(b)]
        guard x.count == y.count else { return false }
        for k in 0 ..< Int(x.count) where byte(Int(x.start) + k) != byte(Int(y.start) + k) { return false }
        return true
    }

    /// A value on the rest of a line: `[]`, `{}`, a quoted or a plain scalar.
    private mutating func inlineValue(_ line: Line, from start: Int) throws(Bail) -> Int32 {
        let c = byte(start)
        switch c {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let close = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            guard start + 1 < line.end, byte(start + 1) == close, restIsComment(start + 2, line.end) else { throw Bail() }
            return tree.addCollection(c == UInt8(ascii: "[") ? .sequence : .mapping, line: line.number, children: [])
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return try quoted(line, from: start)
        default:
            return try plain(line, from: start)
        }
    }

    private func restIsComment(_ from: Int, _ end: Int) -> Bool {
        var p = from
        while p < end && byte(p) == 0x20 { p += 1 }
        return p == end || (p > from && byte(p) == UInt8(ascii: "#"))
    }

    private func plain(_ line: Line, from start: Int) throws(Bail) -> Int32 {
        let c = byte(start)
        if Self.indicators.contains(c) { throw Bail() }
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":") {
            if start + 1 == line.end || byte(start + 1) == 0x20 { throw Bail() }
        }
        var p = start, last = start
        while p < line.end {
            let b = byte(p)
            if b == UInt8(ascii: ":") && (p + 1 == line.end || byte(p + 1) == 0x20) { throw Bail() }
            if b == 0x20 && p + 1 < line.end && byte(p + 1) == UInt8(ascii: "#") { break }
            p += 1
            if b != 0x20 { last = p }
        }
        return tree.addScalar(line: line.number, start: start, count: last - start)
    }

    /// One-line quoted scalars; the decoded text is appended after the file's bytes.
    private mutating func quoted(_ line: Line, from start: Int) throws(Bail) -> Int32 {
        let q = byte(start)
        var out: [UInt8] = []
        var p = start + 1
        var closed = false
        while p < line.end {
            let b = byte(p)
            if b == q {
                if q == UInt8(ascii: "'") && p + 1 < line.end && byte(p + 1) == q {
                    out.append(q)
                    p += 2
                    continue
                }
                closed = true
                p += 1
                break
            }
            if q == UInt8(ascii: "\"") && b == UInt8(ascii: "\\") {
                guard p + 1 < line.end else { throw Bail() }
                switch byte(p + 1) {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                default: throw Bail()
                }
                p += 2
                continue
            }
            out.append(b)
            p += 1
        }
        guard closed, restIsComment(p, line.end) else { throw Bail() }
        let at = bytes.count + extra.count
        extra.append(contentsOf: out)
        return tree.addScalar(line: line.number, start: at, count: out.count)
    }
}
