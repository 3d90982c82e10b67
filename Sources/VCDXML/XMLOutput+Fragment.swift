/// Bytes escaped once per document and copied for every element that repeats them: the escaped base of
/// each href, a constant attribute such as ` type="application/vnd.vmware.vcloud.task+xml"`.
public struct Fragment: Sendable {
    let bytes: [UInt8]
    /// The value met a NUL: the rest of its attribute is dropped, as it would have been.
    let cut: Bool

    /// The start of an attribute value (`XMLOutput.fragment`), escaped as `parts` writes it.
    public static func value(_ parts: (inout XMLOutput) -> Void) -> Fragment {
        var o = XMLOutput(inStartTag: ())
        parts(&o)
        return Fragment(bytes: o.bytes, cut: o.isCut)
    }

    /// A whole ` name="value"` (`XMLOutput.markup`).
    public static func attribute(_ name: StaticString, _ value: String) -> Fragment {
        var o = XMLOutput(inStartTag: ())
        o.attribute(name, value)
        return Fragment(bytes: o.bytes, cut: false)
    }
}
