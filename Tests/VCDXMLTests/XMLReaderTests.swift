import Testing
import VCDXML

/// Parsing untrusted request bodies: no DTD, no entity expansion, no network, bounded size.
@Suite struct XMLParserTests {
    init() { VCDXML.XMLReader.initialize() }

    func parse(_ text: String, maxBytes: Int = 1 << 20) throws(XMLParseError) -> ParsedElement {
        try VCDXML.XMLReader.parse(Array(text.utf8), maxBytes: maxBytes)
    }

    func parseError(_ text: String, maxBytes: Int = 1 << 20) -> XMLParseError? {
        do {
            _ = try parse(text, maxBytes: maxBytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Rejected input

    @Test func rejectsAnEmptyBody() {
        #expect(failureDescription {
            try VCDXML.XMLReader.parse([])
        } == "The request body is empty; an XML document was expected.")
    }

    @Test func rejectsMismatchedTagsNamingTheLine() throws {
        let error = try #require(parseError("<a>\n<b></a>"))
        #expect(error.description.hasPrefix("The request body is not well-formed XML: line 2: "), "\(error)")
    }

    @Test(arguments: ["not xml", "<a>", "<a/><b/>", "<a b=c/>", "<a>&undeclared;</a>", "\u{FEFF}"])
    func rejectsMalformedXML(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.description.hasPrefix("The request body is not well-formed XML"), "\(error)")
    }

    static let billionLaughs = """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
         <!ENTITY lol "lol">
         <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
         <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
         <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
         <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
         <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
         <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
         <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
         <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
         <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" operation="&lol9;">&lol9;</Task>
        """

    @Test func rejectsBillionLaughsWithoutExpandingIt() throws {
        // libxml2 may stop at its entity-amplification guard before the DOCTYPE check: either way, no document.
        let error = try #require(parseError(Self.billionLaughs))
        #expect(!error.description.contains("lollol"), "\(error)")
    }

    @Test func rejectsAnInternalEntityEvenWhenHarmless() {
        #expect(failureDescription {
            try parse("<!DOCTYPE r [<!ENTITY e \"expanded\">]><r>&e;</r>")
        } == "XML documents with a DOCTYPE are not accepted.")
    }

    @Test func rejectsAnExternalSystemEntityWithoutReadingTheFile() throws {
        let error = try #require(parseError("""
            <?xml version="1.0"?>
            <!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <r a="x">&xxe;</r>
            """))
        #expect(error.description == "XML documents with a DOCTYPE are not accepted.")
        #expect(!error.description.contains("root:"))
    }

    @Test func rejectsAnExternalParameterEntity() {
        #expect(failureDescription {
            try parse("<!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><r/>")
        } == "XML documents with a DOCTYPE are not accepted.")
    }

    @Test func rejectsAnExternalDTD() {
        #expect(failureDescription {
            try parse("<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/evil.dtd\"><r/>")
        } == "XML documents with a DOCTYPE are not accepted.")
    }

    @Test func rejectsABodyOverTheSizeLimit() {
        #expect(failureDescription {
            try parse("<a>123456</a>", maxBytes: 10)
        } == "The XML document is larger than 10 bytes.")
    }

    @Test func acceptsABodyExactlyAtTheSizeLimit() throws {
        #expect(try parse("<a>12345</a>", maxBytes: 12).text == "12345")
    }

    @Test func defaultLimitIsOneMebibyte() {
        let big = "<a>" + String(repeating: "x", count: (1 << 20) - 6) + "</a>"
        #expect(big.utf8.count == (1 << 20) + 1)
        #expect(failureDescription {
            try VCDXML.XMLReader.parse(Array(big.utf8))
        } == "The XML document is larger than 1048576 bytes.")
    }

    // MARK: What a parsed element holds

    @Test func readsElementNameAndDefaultNamespace() throws {
        let root = try parse("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\"/>")
        #expect(root.name == "Task")
        #expect(root.namespace == "http://www.vmware.com/vcloud/v1.5")
    }

    @Test func prefixedElementIsReadByLocalNameWithItsNamespace() throws {
        let root = try parse("<vmext:Service xmlns:vmext=\"http://www.vmware.com/vcloud/extension/v1.5\"/>")
        #expect(root.name == "Service")
        #expect(root.namespace == "http://www.vmware.com/vcloud/extension/v1.5")
    }

    @Test func elementWithoutNamespaceHasNone() throws {
        #expect(try parse("<Task/>").namespace == nil)
    }

    @Test func prefixedAttributesAreReadByLocalNameAndNamespaceDeclarationsAreNotAttributes() throws {
        let root = try parse("""
            <r xmlns="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="MetadataStringValue" name="n"/>
            """)
        #expect(root.attributes == ["type": "MetadataStringValue", "name": "n"])
    }

    @Test func attributeEntitiesAndCharacterReferencesAreDecoded() throws {
        #expect(try parse("<r a=\"&lt;&amp;&quot;&apos;&#233;&#x65E5;\"/>")["a"] == "<&\"'é日")
    }

    @Test func emptyAttributeIsEmptyString() throws {
        #expect(try parse("<r stackTrace=\"\"/>")["stackTrace"] == "")
    }

    @Test func missingAttributeIsNil() throws {
        #expect(try parse("<r/>")["name"] == nil)
    }

    @Test func textDecodesPredefinedEntities() throws {
        #expect(try parse("<r>&lt;b&gt; &amp; &#x65E5;</r>").text == "<b> & 日")
    }

    @Test func cdataIsReadAsText() throws {
        #expect(try parse("<r>one <![CDATA[<two> & \"three\"]]> four</r>").text == "one <two> & \"three\" four")
    }

    @Test func textOfAnElementExcludesItsChildrensText() throws {
        let root = try parse("<r>1<a>2</a>3<!-- c --><?pi x?></r>")
        #expect(root.text == "13")
        #expect(root.child("a")?.text == "2")
    }

    @Test func childrenKeepDocumentOrder() throws {
        let root = try parse("<r><b/><a/><b x=\"2\"/><c/></r>")
        #expect(root.children.map(\.name) == ["b", "a", "b", "c"])
        #expect(root.children("b").map { $0["x"] } == [nil, "2"])
        #expect(root.child("b")?["x"] == nil)
    }

    @Test func whitespaceOnlyTextIsKept() throws {
        #expect(try parse("<r>\n  <a/>\n</r>").text == "\n  \n")
    }

    // MARK: The reused parser context (one per thread)

    @Test func aFailedParseLeavesNothingBehindForTheNext() throws {
        #expect(parseError("<a><b></a>") != nil)
        #expect(parseError("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>") != nil)
        let ok = try parse(#"<Task xmlns="urn:t" name="n"><Description>d</Description></Task>"#)
        #expect(ok.name == "Task" && ok.namespace == "urn:t" && ok["name"] == "n" && ok.child("Description")?.text == "d")
    }

    @Test func manyDistinctNamesReplaceTheContextWithoutChangingResults() throws {
        // Past 4,096 names in its dictionary the thread's context is freed and made anew.
        for i in 0..<6_000 {
            let doc = try parse("<e\(i) a\(i)=\"v\(i)\"><c\(i)/></e\(i)>")
            #expect(doc.name == "e\(i)" && doc["a\(i)"] == "v\(i)" && doc.children.map(\.name) == ["c\(i)"])
        }
        #expect(try parse("<last/>").name == "last")
    }
}

/// What `body` threw, as text, or nil when it succeeded (XMLParseError has no public initializer to compare with).
func failureDescription(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return String(describing: error)
    }
}
