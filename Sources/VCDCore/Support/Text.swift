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

extension String {
    /// `a + middle + b` in one allocation: a response's `type;version=5.5` and the href base are made per
    /// request, and `+` or interpolation appended them piece by piece (~700 instructions each).
    public init(joining a: String, _ middle: StaticString, _ b: String) {
        let count = a.utf8.count + middle.utf8CodeUnitCount + b.utf8.count
        self = withUTF8Bytes(a) { x in
            withUTF8Bytes(b) { y in
                middle.withUTF8Buffer { m in
                    String(unsafeUninitializedCapacity: count) { out in
                        func put(_ part: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
                            guard let from = part.baseAddress, let to = out.baseAddress, part.count > 0 else { return i }
                            (to + i).initialize(from: from, count: part.count)
                            return i + part.count
                        }
                        return put(y, at: put(m, at: put(x, at: 0)))
                    }
                }
            }
        }
    }
}

/// `text`'s UTF-8 bytes, read where they lie: a `var` copy made only to call `withUTF8` cost a retain and a
/// release (an atomic each) per string on the request path.
@inlinable
public func withUTF8Bytes<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let r = try text.utf8.withContiguousStorageIfAvailable(body) { return r }
    var copy = text
    return try copy.withUTF8(body)
}
