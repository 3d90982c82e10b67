/// An ApiFilter `UrlPattern` compiled once, at registration (reference §5.4).
///
/// Swift `Regex` rather than NSRegularExpression: `wholeMatch` is exactly java.util.regex `matches()`,
/// with no `\A(?:…)\z` wrapping that an unclosed `\Q` or a `(?x)` comment could break, and a bad pattern
/// gets a readable reason ("expected ')'"); both measured ~0.5 µs per path and pattern.
public final class URLPattern: @unchecked Sendable {
    // @unchecked: Regex is an immutable value; its lazily built program is published atomically, and
    // `init` builds it eagerly, so concurrent matching shares nothing mutable.
    private let regex: Regex<AnyRegexOutput>
    public let pattern: String
    /// Text every match starts with, checked first: most requests then skip the regex (~30 ns, not ~500).
    private let literalPrefix: [UInt8]

    /// Throws a 400-style error naming the pattern and what is wrong with it.
    public init(_ pattern: String) throws(DomainError) {
        guard !pattern.isEmpty else { throw .badRequest("An ApiFilter UrlPattern must not be empty.") }
        let analysis = PatternSafety.analyze(pattern)
        if let problem = analysis.problem {
            throw .badRequest("The pattern \"\(pattern)\" is refused: \(problem).")
        }
        maxInput = analysis.unbounded >= 2 ? Self.maxInputBytesForTwoRepetitions : Self.maxInputBytes
        do {
            // Scalar semantics: like Java, `.` and `[^/]` see code points, not grapheme clusters.
            regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
        } catch {
            throw .badRequest("UrlPattern \"\(pattern)\" is not a valid regular expression: \(error).")
        }
        self.pattern = pattern
        literalPrefix = Self.literalPrefix(of: pattern)
        _ = try? regex.wholeMatch(in: "/api")
    }

    /// Longest text a pattern is run on; longer text never matches (bounds the work per request).
    public static let maxInputBytes = 4096
    /// The same for a pattern with two unbounded repetitions (`/api/org/.*/vdc/.*`): its time grows with the
    /// square of the length (measured ~5 ms at 256 bytes for `.*.*x`, 0.8 s at 4096).
    public static let maxInputBytesForTwoRepetitions = 256
    /// This pattern's limit, one of the two above.
    public let maxInput: Int

    /// True when the pattern matches the whole text, not just a prefix or a part.
    public func matches(_ text: Substring) -> Bool {
        guard text.utf8.count <= maxInput, text.utf8.starts(with: literalPrefix) else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    public func matches(_ text: String) -> Bool { matches(text[...]) }

    /// The plain characters before the first special one, e.g. `/api/org/` for `/api/org/[^/]+/x`.
    /// Empty when an alternation could make another start valid; a quantified last character is not required.
    static func literalPrefix(of pattern: String) -> [UInt8] {
        if pattern.contains("|") { return [] }
        var prefix: [UInt8] = []
        for byte in pattern.utf8 {
            if byte >= 0x80 { break }
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                if !prefix.isEmpty { prefix.removeLast() }
                return prefix
            case UInt8(ascii: "\\"), UInt8(ascii: "."), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "}"), UInt8(ascii: "#"),
                 UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "'"):
                return prefix
            default:
                prefix.append(byte)
            }
        }
        return prefix
    }
}
