import VCDCore

/// Turns a parsed filter into a predicate over rows, checking every attribute name and value once,
/// before any row is read: an unknown attribute or a value of the wrong kind is a 400, not an empty page.
struct FilterCompiler<Row> {
    let typeName: String
    let attributes: [String: QueryAttribute<Row>]

    func compile(_ node: FilterNode) throws(APIError) -> @Sendable (Row) -> Bool {
        switch node {
        case .and(let nodes):
            var all: [@Sendable (Row) -> Bool] = []
            for n in nodes { all.append(try compile(n)) }
            let parts = all
            return { row in parts.allSatisfy { $0(row) } }
        case .or(let nodes):
            var any: [@Sendable (Row) -> Bool] = []
            for n in nodes { any.append(try compile(n)) }
            let parts = any
            return { row in parts.contains { $0(row) } }
        case .condition(let c):
            return try condition(c)
        }
    }

    private func condition(_ c: FilterCondition) throws(APIError) -> @Sendable (Row) -> Bool {
        guard let attribute = attributes[c.attribute] else {
            throw .badRequest("The filter names attribute \"\(c.attribute)\", which type \"\(typeName)\" does not have. "
                              + "Its attributes: \(attributes.keys.sorted().joined(separator: ", ")).")
        }
        let test = try ValueTest.make(c, kind: attribute.kind, typeName: typeName)
        let read = attribute.read
        return { row in test.passes(read(row)) }
    }
}

/// One condition's test of one value; nil values (absent attributes) pass only `!=`.
enum ValueTest: Sendable {
    case wildcard(WildcardPattern, negated: Bool)
    case number(FilterOperator, Int)
    case date(FilterOperator, Int64)
    case text(FilterOperator, String)
    case boolean(Bool, negated: Bool)
    case entity(WildcardPattern, exact: String, negated: Bool)

    static func make(_ c: FilterCondition, kind: QueryValueKind, typeName: String) throws(APIError) -> ValueTest {
        let text = c.value.text
        let what = "\"\(c.attribute)\(c.op.rawValue)\(text)\""
        if c.op.isComparison && c.value.hasWildcard {
            throw .badRequest("In \(what): wildcards (*) work only with == and !=.")
        }
        switch kind {
        case .string:
            if c.op.isComparison { return .text(c.op, text.lowercased()) }
            return .wildcard(WildcardPattern(c.value), negated: c.op == .ne)
        case .number:
            guard let n = Int(text) else { throw .badRequest("In \(what): \(c.attribute) is a number, and \"\(text)\" is not one.") }
            return .number(c.op, n)
        case .date:
            guard let t = Timestamp(iso8601: text) else {
                throw .badRequest("In \(what): \(c.attribute) is a date; write it as ISO 8601, e.g. 2024-05-01T10:00:00.000Z "
                                  + "(percent-encode + as %2B).")
            }
            return .date(c.op, t.milliseconds)
        case .boolean:
            guard !c.op.isComparison else { throw .badRequest("In \(what): \(c.attribute) is a boolean; use == or !=.") }
            switch text.lowercased() {
            case "true": return .boolean(true, negated: c.op == .ne)
            case "false": return .boolean(false, negated: c.op == .ne)
            default: throw .badRequest("In \(what): \(c.attribute) is a boolean; compare it with true or false.")
            }
        case .reference:
            guard !c.op.isComparison else {
                throw .badRequest("In \(what): \(c.attribute) is a reference; use == or != with an href, URN or id.")
            }
            let exact = EntityLink.apiPath(text) ?? text
            return .entity(WildcardPattern(c.value), exact: exact.lowercased(), negated: c.op == .ne)
        }
    }

    func passes(_ value: QueryValue?) -> Bool {
        guard let value else {
            switch self {
            case .wildcard(_, let negated), .boolean(_, let negated), .entity(_, _, let negated): return negated
            case .number(let op, _), .date(let op, _), .text(let op, _): return op == .ne
            }
        }
        switch (self, value) {
        case (.wildcard(let p, let negated), .string(let s)): return p.matches(s) != negated
        case (.text(let op, let t), .string(let s)): return compare(op, s.lowercased(), t)
        case (.number(let op, let n), .int(let v)): return compare(op, v, n)
        case (.date(let op, let ms), .date(let t)): return compare(op, t.milliseconds, ms)
        case (.boolean(let b, let negated), .bool(let v)): return (v == b) != negated
        case (.entity(let p, let exact, let negated), .link(let l)): return matches(l, p, exact) != negated
        default: return false
        }
    }

    /// A reference matches by bare id, URN, or an href of either view on any host; a wildcard against its path.
    private func matches(_ l: EntityLink, _ p: WildcardPattern, _ exact: String) -> Bool {
        if p.isLiteral {
            if let id = l.id, id.lowercased() == exact { return true }
            if l.urn.lowercased() == exact { return true }
            return l.paths.contains { $0.lowercased() == exact }
        }
        return p.matches(l.urn) || l.paths.contains { p.matches("/api/" + $0) || p.matches($0) }
    }

    private func compare<T: Comparable>(_ op: FilterOperator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .eq: a == b
        case .ne: a != b
        case .gt: a > b
        case .ge: a >= b
        case .lt: a < b
        case .le: a <= b
        }
    }
}

/// `*` matches any run of characters; letters compare case-insensitively (ASCII), without allocating.
struct WildcardPattern: Sendable {
    /// Folded bytes; -1 is a wildcard.
    let units: [Int16]
    let isLiteral: Bool

    init(_ pattern: FilterPattern) {
        var units: [Int16] = []
        for part in pattern.parts {
            switch part {
            case .star: units.append(-1)
            case .text(let t): units += t.utf8.map { Int16(Self.fold($0)) }
            }
        }
        self.units = units
        self.isLiteral = !pattern.hasWildcard
    }

    static func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { t in
            var p = 0, i = 0, starP = -1, starI = 0
            while i < t.count {
                if p < units.count, units[p] >= 0, units[p] == Int16(Self.fold(t[i])) {
                    p += 1
                    i += 1
                } else if p < units.count, units[p] == -1 {
                    starP = p
                    starI = i
                    p += 1
                } else if starP >= 0 {
                    p = starP + 1
                    starI += 1
                    i = starI
                } else {
                    return false
                }
            }
            while p < units.count, units[p] == -1 { p += 1 }
            return p == units.count
        }
    }
}

/// A value reduced to what sorting compares: numbers and dates as integers, text folded to lower case.
enum SortKey: Comparable, Sendable {
    case number(Int64)
    case text(String)
    /// Absent values sort after every present one (ascending).
    case none

    init(_ value: QueryValue?) {
        switch value {
        case .none: self = .none
        case .int(let n): self = .number(Int64(n))
        case .date(let t): self = .number(t.milliseconds)
        case .bool(let b): self = .number(b ? 1 : 0)
        case .string(let s): self = .text(s.lowercased())
        case .link(let l): self = .text(l.urn.lowercased())
        }
    }
}
