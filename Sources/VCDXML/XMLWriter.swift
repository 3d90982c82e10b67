import CLibXML2

/// Writes XML into a byte buffer, byte for byte as libxml2's text writer (2.9) did with this API: the
/// same declaration, `/>` for elements without content, the same escapes. ASCII values are escaped
/// here; a value with any other byte goes through libxml2's own escaping routine for that context, so
/// nothing is ever concatenated unescaped. Why not the text writer itself: its per-call overhead kept a
/// 7.7 MB TasksList at 60-90 MB/s (issue 11, goal 6: 200 MB/s).
///
/// A reference around an `XMLOutput`, for documents that hand a writer to helpers. Each call is one
/// access to it; long lists go through `withOutput` (or use an `XMLOutput` directly).
public final class XMLWriter {
    private var output: XMLOutput

    public init(capacity: Int = 4096) {
        output = XMLOutput(capacity: capacity)
    }

    public func start(_ name: String) { output.start(name: name) }

    /// Writes an attribute; nil values are skipped so optional attributes read naturally at call sites.
    public func attribute(_ name: String, _ value: String?) { output.attribute(name: name, value) }

    public func text(_ value: String) { output.text(value) }

    public func end() { output.end() }

    /// `<name attrs…>text</name>`
    public func element(_ name: String, _ text: String) {
        output.start(name: name)
        output.text(text)
        output.end()
    }

    /// Writes through the output itself: one access for all of `body`.
    public func withOutput<R>(_ body: (inout XMLOutput) -> R) -> R { body(&output) }

    /// Ends the document and returns its bytes.
    public func finish() -> [UInt8] { output.finish() }
}

func withXMLChar<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
    text.withCString { ptr in
        ptr.withMemoryRebound(to: xmlChar.self, capacity: 1) { body($0) }
    }
}
