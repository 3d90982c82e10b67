import CLibXML2

/// A parsed element, copied out of libxml2 so no C pointer outlives the parse.
public struct ParsedElement: Sendable, Equatable {
    public var name: String
    public var namespace: String?
    /// Attributes by local name (the namespace prefix is dropped), in document order. A body's elements
    /// carry a handful: a linear search beats hashing them into a dictionary (~4k instructions a Task).
    public var pairs: [(name: String, value: String)]
    public var children: [ParsedElement]
    public var text: String

    public init(name: String, namespace: String? = nil, attributes: [String: String] = [:],
                children: [ParsedElement] = [], text: String = "") {
        self.name = name
        self.namespace = namespace
        self.pairs = attributes.map { ($0.key, $0.value) }
        self.children = children
        self.text = text
    }

    /// By local name; of two with one local name (different prefixes) the later, as a dictionary kept it.
    public var attributes: [String: String] { Dictionary(pairs, uniquingKeysWith: { $1 }) }

    public func child(_ name: String) -> ParsedElement? { children.first { $0.name == name } }
    public func children(_ name: String) -> [ParsedElement] { children.filter { $0.name == name } }
    public subscript(attribute: String) -> String? { pairs.last { $0.name == attribute }?.value }

    public static func == (a: ParsedElement, b: ParsedElement) -> Bool {
        a.name == b.name && a.namespace == b.namespace && a.text == b.text && a.children == b.children
            && a.attributes == b.attributes
    }
}

public struct XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

public enum XMLReader {
    /// Call once at start, before worker threads parse (libxml2 sets up its globals here).
    public static func initialize() { xmlInitParser() }

    /// Parses untrusted bytes: no network, no DTD, no entity expansion, bounded size.
    public static func parse(_ bytes: [UInt8], maxBytes: Int = 1 << 20) throws(XMLParseError) -> ParsedElement {
        guard !bytes.isEmpty else { throw XMLParseError(description: "The request body is empty; an XML document was expected.") }
        guard bytes.count <= maxBytes else { throw XMLParseError(description: "The XML document is larger than \(maxBytes) bytes.") }
        if let plain = bytes.withUnsafeBufferPointer(PlainXML.parse) { return plain }
        var (builder, result) = read(bytes, padded: true)
        if Int(result) != VCDM_SAX_OK && Int(result) != VCDM_SAX_DOCTYPE {
            (builder, result) = read(bytes, padded: false)
        }
        return try outcome(builder, result)
    }

    /// One way only, padded or as sent: the tests and the fuzz target check both give the same tree.
    static func parse(_ bytes: [UInt8], padded: Bool) throws(XMLParseError) -> ParsedElement {
        let (builder, result) = read(bytes, padded: padded)
        return try outcome(builder, result)
    }

    private static func outcome(_ builder: TreeBuilder, _ result: Int32) throws(XMLParseError) -> ParsedElement {
        switch Int(result) {
        case VCDM_SAX_OK:
            guard let root = builder.root else { throw XMLParseError(description: "The XML document has no root element.") }
            return root
        case VCDM_SAX_DOCTYPE:
            throw XMLParseError(description: "XML documents with a DOCTYPE are not accepted.")
        case VCDM_SAX_NO_MEMORY:
            throw XMLParseError(description: "The XML parser could not allocate memory.")
        default:
            throw XMLParseError(description: "The request body is not well-formed XML: \(lastErrorText()).")
        }
    }

    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
        | XML_PARSE_NOCDATA.rawValue)

    /// One libxml2 parse into a fresh builder; `padded` is the fast way for well-formed bodies (shim.h).
    private static func read(_ bytes: [UInt8], padded: Bool) -> (TreeBuilder, Int32) {
        let builder = TreeBuilder()
        let result = withExtendedLifetime(builder) {
            bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    vcdm_xml_sax_read($0, Int32(buf.count), padded ? 1 : 0, "request.xml", options,
                                      Unmanaged.passUnretained(builder).toOpaque(),
                                      TreeBuilder.start, TreeBuilder.end, TreeBuilder.characters)
                }
            }
        }
        return (builder, result)
    }

    private static func lastErrorText() -> String {
        guard let err = xmlGetLastError(), let message = err.pointee.message else { return "parse error" }
        let text = String(String(cString: message).filter { $0 != "\n" && $0 != "\r" })
        return "line \(err.pointee.line): \(text)"
    }
}
