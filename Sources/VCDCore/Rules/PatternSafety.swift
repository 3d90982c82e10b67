/// Refuses regular expressions that can backtrack exponentially, such as `(a+)+b` or `(.*)*`: a group
/// repeated without bound that itself contains an unbounded repetition. Swift `Regex` backtracks and
/// cannot be interrupted, so such a pattern could hold a worker for minutes on an 18-character path.
/// A syntactic check, deliberately strict: `(ab+)+` is refused too (write `(ab+)` once, or use `{1,8}`).
enum PatternSafety {
    /// The reason the pattern is refused, or nil when it is safe to run.
    static func problem(in pattern: String) -> String? {
        let chars = Array(pattern.unicodeScalars)
        // Per open group: does it contain an unbounded quantifier (directly or in a nested group)?
        var stack: [Bool] = []
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" { i += 2; continue }
            if inClass {
                if c == "]" { inClass = false }
                i += 1
                continue
            }
            switch c {
            case "[":
                inClass = true
            case "(":
                stack.append(false)
            case ")":
                let innerUnbounded = stack.popLast() ?? false
                let outerUnbounded = unboundedQuantifier(at: i + 1, in: chars)
                if innerUnbounded && outerUnbounded {
                    return "it repeats a group that itself repeats without bound (nested quantifiers like (a+)+ can take exponential time)"
                }
                // A repeated group makes its enclosing group unbounded too.
                if (innerUnbounded || outerUnbounded), !stack.isEmpty { stack[stack.count - 1] = true }
            case "*", "+":
                if !stack.isEmpty { stack[stack.count - 1] = true }
            case "{":
                if unboundedQuantifier(at: i, in: chars), !stack.isEmpty { stack[stack.count - 1] = true }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// `*`, `+` or `{n,}` at `index` (a following `?` or `+` does not change that).
    private static func unboundedQuantifier(at index: Int, in chars: [Unicode.Scalar]) -> Bool {
        guard index < chars.count else { return false }
        switch chars[index] {
        case "*", "+": return true
        case "{":
            var j = index + 1
            var sawComma = false
            while j < chars.count, chars[j] != "}" {
                if chars[j] == "," { sawComma = true } else if !("0"..."9").contains(chars[j]) { return false }
                j += 1
            }
            return sawComma && j < chars.count && chars[j - 1] == ","
        default: return false
        }
    }
}
