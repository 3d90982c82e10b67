extension StringProtocol {
    /// Without leading and trailing white space (XML text, fixture and form values).
    public var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

/// xs:boolean: `true`, `false`, `1` or `0`, white space around allowed (XML Schema part 2, 3.2.2);
/// nil for anything else.
public func xsBoolean(_ text: some StringProtocol) -> Bool? {
    switch text.trimmed {
    case "true", "1": true
    case "false", "0": false
    default: nil
    }
}
