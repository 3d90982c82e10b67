/// Refuses regular expressions that can backtrack for seconds, and tells `URLPattern` how long a path it may
/// run a pattern on. Swift `Regex` backtracks and cannot be interrupted, so a pattern could hold a worker:
/// - a repeated group that itself repeats without bound, e.g. `(a+)+b`, `(.*)*`, `(.*){2,900}` (exponential
///   or a high power of the length): refused;
/// - several unbounded repetitions in a row, e.g. `.*.*.*x` (time ~ length^k; measured 22 s for k = 3 on a
///   1 KiB path): more than two are refused, and a pattern with two runs only on paths up to 256 bytes.
///   A negated class that stops at the literal after it (`[^/]+/`, `[^?]*\?`) runs in linear time and does
///   not count, so an extension's `/api/org/[^/]+/echo[^?]*(\?.*)?` has one.
/// A syntactic check, deliberately strict: `(ab+)+` is refused too (write `(ab+)` once, or use `{1,8}`).
enum PatternSafety {
    struct Analysis {
        /// Why the pattern is refused, or nil.
        var problem: String?
        /// Quantifiers with no upper bound, or one above `largeCount` (`.*`, `x+`, `{2,}`, `{0,5000}`).
        var unbounded = 0
    }

    /// A counted repetition up to this many is cheap; above it, it counts as unbounded.
    static let largeCount = 16

    static func problem(in pattern: String) -> String? { analyze(pattern).problem }

    static func analyze(_ pattern: String) -> Analysis {
        let chars = Array(pattern.unicodeScalars)
        var result = Analysis()
        // Per open group: does it contain an unbounded repetition (directly or in a nested group)?
        var groups: [Bool] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            var atomStart: Int?
            var isGroup = false
            var groupUnbounded = false
            switch c {
            case "(":
                groups.append(false)
                i += 1
                continue
            case ")":
                isGroup = true
                groupUnbounded = groups.popLast() ?? false
                i += 1
            case "[":
                atomStart = i
                i = classEnd(from: i, in: chars)
            case "\\":
                i = escapeEnd(from: i, in: chars)
            default:
                i += 1
            }
            guard let q = quantifier(at: i, in: chars) else {
                if isGroup, groupUnbounded, !groups.isEmpty { groups[groups.count - 1] = true }
                continue
            }
            let classAt = atomStart
            let atomEnd = i
            i = q.end
            let large = q.max.map { $0 > largeCount } ?? true
            // `[^/]+/` cannot give back what the next literal needs: it runs in linear time, so it does not count.
            if large, !(classAt.map { stopsAtNextLiteral(class: $0..<atomEnd, next: i, in: chars) } ?? false) {
                result.unbounded += 1
            }
            if isGroup, groupUnbounded, q.max.map({ $0 >= 2 }) ?? true {
                result.problem = "it repeats a group that itself repeats without bound (nested quantifiers like (a+)+ or (.*){2,} can take exponential time)"
                return result
            }
            if (large || (isGroup && groupUnbounded && q.max != 0)), !groups.isEmpty { groups[groups.count - 1] = true }
        }
        if result.unbounded > 2 {
            result.problem = "it has \(result.unbounded) unbounded repetitions (.*, +, {n,}); more than two can take seconds on a long path (time grows as length^\(result.unbounded))"
        }
        return result
    }

    /// Whether a negated class (`[^/?]`) excludes the literal that must come next (`/`, `\?`, an optional
    /// group's first literal), or the pattern ends there: then its repetition never competes with what follows.
    private static func stopsAtNextLiteral(class range: Range<Int>, next: Int, in chars: [Unicode.Scalar]) -> Bool {
        guard range.count >= 3, chars[range.lowerBound + 1] == "^" else { return false }
        var j = next
        while j < chars.count, chars[j] == "(" {
            j += 1
            if j + 1 < chars.count, chars[j] == "?", chars[j + 1] == ":" { j += 2 }
        }
        guard j < chars.count else { return true }
        var literal = chars[j]
        if literal == "\\" {
            guard j + 1 < chars.count, !chars[j + 1].properties.isAlphabetic, !("0"..."9").contains(chars[j + 1]) else { return false }
            literal = chars[j + 1]
        } else if "[](){}.*+?|^$".unicodeScalars.contains(literal) {
            return false
        }
        let excluded = chars[(range.lowerBound + 2)..<(range.upperBound - 1)]
        return excluded.contains(literal) && !excluded.contains("-")
    }

    /// A quantifier at `index`: its upper bound (nil: none) and where it ends (a lazy `?` or possessive `+` included).
    private static func quantifier(at index: Int, in chars: [Unicode.Scalar]) -> (max: Int?, end: Int)? {
        guard index < chars.count else { return nil }
        var end = index + 1
        let max: Int?
        switch chars[index] {
        case "*", "+": max = nil
        case "?": max = 1
        case "{":
            var j = index + 1
            var low = "", high = "", sawComma = false
            while j < chars.count, chars[j] != "}" {
                if chars[j] == "," { if sawComma { return nil }; sawComma = true }
                else if ("0"..."9").contains(chars[j]) { if sawComma { high.unicodeScalars.append(chars[j]) } else { low.unicodeScalars.append(chars[j]) } }
                else { return nil }
                j += 1
            }
            guard j < chars.count, !(low.isEmpty && high.isEmpty) else { return nil }
            max = sawComma ? (high.isEmpty ? nil : Int(high) ?? Int.max) : Int(low) ?? Int.max
            end = j + 1
        default: return nil
        }
        if end < chars.count, chars[end] == "?" || chars[end] == "+" { end += 1 }
        return (max, end)
    }

    /// Past a character class, nested classes (`[a-z&&[^b]]`) and escapes included.
    private static func classEnd(from start: Int, in chars: [Unicode.Scalar]) -> Int {
        var i = start + 1
        if i < chars.count, chars[i] == "^" { i += 1 }
        if i < chars.count, chars[i] == "]" { i += 1 }  // a leading ] is literal
        var depth = 1
        while i < chars.count, depth > 0 {
            switch chars[i] {
            case "\\": i = escapeEnd(from: i, in: chars); continue
            case "[": depth += 1
            case "]": depth -= 1
            default: break
            }
            i += 1
        }
        return i
    }

    /// Past an escape: `\x`, `\p{..}`, `\x{..}`, `\k<..>`, or a `\Q..\E` quote.
    private static func escapeEnd(from start: Int, in chars: [Unicode.Scalar]) -> Int {
        var i = start + 2
        guard start + 1 < chars.count else { return i }
        switch chars[start + 1] {
        case "Q":
            while i + 1 < chars.count, !(chars[i] == "\\" && chars[i + 1] == "E") { i += 1 }
            return min(i + 2, chars.count)
        case "p", "P", "x", "N", "k":
            let close: Unicode.Scalar = chars[start + 1] == "k" ? ">" : "}"
            guard i < chars.count, chars[i] == (close == ">" ? "<" : "{") else { return i }
            while i < chars.count, chars[i] != close { i += 1 }
            return min(i + 1, chars.count)
        default:
            return i
        }
    }
}
