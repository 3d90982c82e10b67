import VCDHTTP

/// A parsed `filter` (reference §7.3): conditions joined by `;` (AND, binds tighter) and `,` (OR), with
/// parentheses for grouping.
indirect enum FilterNode: Equatable, Sendable {
    case and([FilterNode])
    case or([FilterNode])
    case condition(FilterCondition)
}

enum FilterOperator: String, Sendable, CaseIterable {
    case eq = "==", ne = "!=", gt = "=gt=", ge = "=ge=", lt = "=lt=", le = "=le="

    var isComparison: Bool { self != .eq && self != .ne }
}

struct FilterCondition: Equatable, Sendable {
    var attribute: String
    var op: FilterOperator
    var value: FilterPattern
}

/// A condition's value: literal text and `*` wildcards (an escaped `\*` is a literal star).
struct FilterPattern: Equatable, Sendable {
    enum Part: Equatable, Sendable {
        case text(String)
        case star
    }

    var parts: [Part]

    /// The value as written, escapes removed (for numbers, dates and messages).
    var text: String {
        parts.map { if case .text(let t) = $0 { t } else { "*" } }.joined()
    }

    var hasWildcard: Bool { parts.contains(.star) }

    static func literal(_ text: String) -> FilterPattern { FilterPattern(parts: text.isEmpty ? [] : [.text(text)]) }
}

struct FilterSyntaxError: Error, Equatable {
    let message: String
}

/// Recursive descent over the filter's bytes. Values end at an unescaped `;`, `,` or `)`; a backslash
/// escapes the next character (API 35+ clients send `\(` `\)` `\,` `\;` that way). With `filterEncoded`
/// each value is percent-decoded after the structure is read, so `%2C` in a value is never an OR.
struct FilterParser {
    private let bytes: [UInt8]
    private let source: String
    private let encoded: Bool
    private var i = 0

    /// Bounded so that a hostile filter cannot exhaust the stack.
    static let maxDepth = 32
    static let maxLength = 8192

    static func parse(_ filter: String, encoded: Bool = false) throws(FilterSyntaxError) -> FilterNode {
        guard filter.utf8.count <= maxLength else {
            throw FilterSyntaxError(message: "The filter is longer than \(maxLength) characters.")
        }
        var p = FilterParser(bytes: Array(filter.utf8), source: filter, encoded: encoded)
        guard !p.bytes.isEmpty else { throw p.fail("it is empty") }
        let node = try p.orExpression(depth: 0)
        guard p.i == p.bytes.count else {
            throw p.fail(p.bytes[p.i] == UInt8(ascii: ")") ? "unmatched \")\"" : "unexpected \"\(p.char(p.i))\"")
        }
        return node
    }

    private init(bytes: [UInt8], source: String, encoded: Bool) {
        self.bytes = bytes
        self.source = source
        self.encoded = encoded
    }

    private mutating func orExpression(depth: Int) throws(FilterSyntaxError) -> FilterNode {
        var terms = [try andExpression(depth: depth)]
        while peek(",") {
            i += 1
            terms.append(try andExpression(depth: depth))
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func andExpression(depth: Int) throws(FilterSyntaxError) -> FilterNode {
        var factors = [try factor(depth: depth)]
        while peek(";") {
            i += 1
            factors.append(try factor(depth: depth))
        }
        return factors.count == 1 ? factors[0] : .and(factors)
    }

    private mutating func factor(depth: Int) throws(FilterSyntaxError) -> FilterNode {
        guard i < bytes.count else { throw fail("a condition is missing at the end") }
        if peek("(") {
            guard depth < Self.maxDepth else { throw fail("parentheses are nested deeper than \(Self.maxDepth)") }
            let open = i
            i += 1
            let inner = try orExpression(depth: depth + 1)
            guard peek(")") else { throw fail("the \"(\" at character \(open + 1) is never closed") }
            i += 1
            return inner
        }
        return .condition(try condition())
    }

    private mutating func condition() throws(FilterSyntaxError) -> FilterCondition {
        let start = i
        while i < bytes.count, Self.isNameByte(bytes[i]) { i += 1 }
        guard i > start else {
            throw fail(i < bytes.count ? "expected an attribute name, found \"\(char(i))\"" : "expected an attribute name")
        }
        let attribute = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let op = operatorHere() else {
            throw fail("expected an operator (==, !=, =gt=, =ge=, =lt=, =le=) after \"\(attribute)\"")
        }
        i += op.rawValue.utf8.count
        let valueStart = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { throw fail("a backslash at the end escapes nothing") }
                i += 2
                continue
            }
            if b == UInt8(ascii: ";") || b == UInt8(ascii: ",") || b == UInt8(ascii: ")") { break }
            i += 1
        }
        guard i > valueStart else { throw fail("the value after \"\(attribute)\(op.rawValue)\" is missing") }
        var raw = String(decoding: bytes[valueStart..<i], as: UTF8.self)
        if encoded { raw = PercentDecoding.decode(raw) }
        return FilterCondition(attribute: attribute, op: op, value: Self.pattern(raw))
    }

    private func operatorHere() -> FilterOperator? {
        for op in FilterOperator.allCases {
            let o = Array(op.rawValue.utf8)
            if i + o.count <= bytes.count, Array(bytes[i..<i + o.count]) == o { return op }
        }
        return nil
    }

    /// `\x` -> literal x; an unescaped `*` -> wildcard.
    static func pattern(_ raw: String) -> FilterPattern {
        var parts: [FilterPattern.Part] = []
        var text: [UInt8] = []
        let b = Array(raw.utf8)
        var k = 0
        func flush() {
            if !text.isEmpty { parts.append(.text(String(decoding: text, as: UTF8.self))) }
            text.removeAll()
        }
        while k < b.count {
            if b[k] == UInt8(ascii: "\\"), k + 1 < b.count {
                text.append(b[k + 1])
                k += 2
            } else if b[k] == UInt8(ascii: "*") {
                flush()
                if parts.last != .star { parts.append(.star) }
                k += 1
            } else {
                text.append(b[k])
                k += 1
            }
        }
        flush()
        return FilterPattern(parts: parts)
    }

    /// Attribute names: letters, digits and `_ . : -` (`metadata:key` included).
    static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
             UInt8(ascii: "-"):
            true
        default: false
        }
    }

    private func peek(_ c: Unicode.Scalar) -> Bool { i < bytes.count && bytes[i] == UInt8(ascii: c) }

    private func char(_ at: Int) -> String { String(decoding: [bytes[at]], as: UTF8.self) }

    private func fail(_ what: String) -> FilterSyntaxError {
        FilterSyntaxError(message: "Malformed filter \"\(source)\" at character \(min(i, bytes.count) + 1): \(what). "
                          + "Write conditions as attribute==value (also !=, =gt=, =ge=, =lt=, =le=), joined by ; (and) "
                          + "or , (or), grouped with parentheses; escape ( ) , ; inside values with a backslash.")
    }
}
