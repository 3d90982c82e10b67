import CLibXML2

/// A thin wrapper over libxml2's text writer: libxml2 does all escaping, we never concatenate XML.
public final class XMLWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    public init() {
        buffer = xmlBufferCreate()
        writer = xmlNewTextWriterMemory(buffer, 0)
        _ = xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    public func start(_ name: String) {
        _ = withXMLChar(name) { xmlTextWriterStartElement(writer, $0) }
    }

    /// Writes an attribute; nil values are skipped so optional attributes read naturally at call sites.
    public func attribute(_ name: String, _ value: String?) {
        guard let value else { return }
        _ = withXMLChar(name) { n in withXMLChar(value) { v in xmlTextWriterWriteAttribute(writer, n, v) } }
    }

    public func text(_ value: String) {
        _ = withXMLChar(value) { xmlTextWriterWriteString(writer, $0) }
    }

    public func end() {
        _ = xmlTextWriterEndElement(writer)
    }

    /// `<name attrs…>text</name>`
    public func element(_ name: String, _ text: String) {
        start(name)
        self.text(text)
        end()
    }

    /// Ends the document and returns its bytes.
    public func finish() -> [UInt8] {
        _ = xmlTextWriterEndDocument(writer)
        _ = xmlTextWriterFlush(writer)
        let count = Int(xmlBufferLength(buffer))
        guard count > 0, let content = xmlBufferContent(buffer) else { return [] }
        return Array(UnsafeBufferPointer(start: content, count: count))
    }
}

func withXMLChar<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
    text.withCString { ptr in
        ptr.withMemoryRebound(to: xmlChar.self, capacity: 1) { body($0) }
    }
}
