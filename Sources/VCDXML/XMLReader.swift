import CLibXML2

/// A parsed element, copied out of libxml2 so no C pointer outlives the parse.
public struct ParsedElement: Sendable, Equatable {
    public var name: String
    public var namespace: String?
    /// Attributes by local name (the namespace prefix is dropped).
    public var attributes: [String: String]
    public var children: [ParsedElement]
    public var text: String

    public init(name: String, namespace: String? = nil, attributes: [String: String] = [:],
                children: [ParsedElement] = [], text: String = "") {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public func child(_ name: String) -> ParsedElement? { children.first { $0.name == name } }
    public func children(_ name: String) -> [ParsedElement] { children.filter { $0.name == name } }
    public subscript(attribute: String) -> String? { attributes[attribute] }
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
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue)
        let doc = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                vcdm_xml_read_memory($0, Int32(buf.count), "request.xml", options)
            }
        }
        guard let doc else {
            throw XMLParseError(description: "The request body is not well-formed XML: \(lastErrorText()).")
        }
        defer { xmlFreeDoc(doc) }
        // A DOCTYPE is how entity bombs and external entities get in; vCD documents never need one.
        guard doc.pointee.intSubset == nil else {
            throw XMLParseError(description: "XML documents with a DOCTYPE are not accepted.")
        }
        guard let root = xmlDocGetRootElement(doc) else { throw XMLParseError(description: "The XML document has no root element.") }
        return convert(root, doc: doc)
    }

    private static func convert(_ node: xmlNodePtr, doc: xmlDocPtr) -> ParsedElement {
        var element = ParsedElement(name: string(node.pointee.name) ?? "",
                                 namespace: node.pointee.ns.flatMap { string($0.pointee.href) })
        var attr = node.pointee.properties
        var count = 0
        while let a = attr {
            count += 1
            attr = a.pointee.next
        }
        if count > 0 { element.attributes.reserveCapacity(count) }
        attr = node.pointee.properties
        while let a = attr {
            if let name = string(a.pointee.name) {
                // Almost every value is one text node: read it in place, without libxml2's joined copy.
                if let only = a.pointee.children, only.pointee.next == nil, only.pointee.type == XML_TEXT_NODE {
                    element.attributes[name] = string(only.pointee.content) ?? ""
                } else if let value = xmlNodeListGetString(doc, a.pointee.children, 1) {
                    element.attributes[name] = string(value)
                    vcdm_xml_free(value)
                } else {
                    element.attributes[name] = ""
                }
            }
            attr = a.pointee.next
        }
        var child = node.pointee.children
        var text = ""
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE: element.children.append(convert(c, doc: doc))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: text += string(c.pointee.content) ?? ""
            default: break
            }
            child = c.pointee.next
        }
        element.text = text
        return element
    }

    private static func string(_ p: UnsafePointer<xmlChar>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    private static func string(_ p: UnsafeMutablePointer<xmlChar>?) -> String? {
        string(UnsafePointer(p))
    }

    private static func lastErrorText() -> String {
        guard let err = xmlGetLastError(), let message = err.pointee.message else { return "parse error" }
        let text = String(String(cString: message).filter { $0 != "\n" && $0 != "\r" })
        return "line \(err.pointee.line): \(text)"
    }
}
