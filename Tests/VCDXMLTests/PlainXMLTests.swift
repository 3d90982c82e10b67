import Testing
@testable import VCDXML

/// `PlainXML` reads plain bodies without libxml2 and declines everything else. Whatever it reads must be
/// libxml2's tree exactly; what it declines goes to libxml2 unchanged (the `xml` fuzz target checks the
/// same on generated input).
@Suite struct PlainXMLTests {
    init() { XMLReader.initialize() }

    func plain(_ text: String) -> ParsedElement? { Array(text.utf8).withUnsafeBufferPointer(PlainXML.parse) }
    func libxml2(_ text: String) -> ParsedElement? { try? XMLReader.parse(Array(text.utf8), padded: false) }

    static let accepted = [
        #"<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example" operation="bench"/>"#,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Task xmlns=\"urn:v\" name=\"a &amp; b &lt;c&gt;\" operation='say \"hi\"'>\n"
            + "  <Description>x &lt; y &amp;&amp; z &gt; w</Description>\n  <Progress> 42 </Progress>\n</Task>\n",
        "<a:Event xmlns:a=\"urn:x\" xmlns=\"urn:d\" a:b='1' c=\"tab\there\nline\"><Owner href=\"h\" name=\"n\"/>text<x:y xmlns:x=\"urn:y\" x:k=\"v\"/></a:Event>",
        "<r xmlns=\"urn:r\"><c xmlns=\"\"><d/></c><e/></r>",
        "<?xml version='1.0' standalone='yes'?><r/>",
        "<r>" + String(repeating: "<c k=\"v\">t</c>\n", count: 40) + "</r>",
    ]

    @Test(arguments: accepted)
    func readsWhatLibxml2ReadsTheSameWay(_ text: String) throws {
        let fast = try #require(plain(text), "PlainXML should read this body itself")
        #expect(fast == libxml2(text))
    }

    /// Each prefix of an accepted body is either declined or read exactly as libxml2 reads it.
    @Test(arguments: accepted)
    func everyPrefixIsDeclinedOrReadAsLibxml2ReadsIt(_ text: String) {
        let bytes = Array(text.utf8)
        for end in 1...bytes.count {
            let prefix = String(decoding: bytes[0..<end], as: UTF8.self)
            if let fast = plain(prefix), fast != libxml2(prefix) { Issue.record("differs at \(end) bytes: \(prefix)") }
        }
    }

    @Test(arguments: [
        "<!-- c --><a/>", "<a><![CDATA[x]]></a>", "<a>&#38;</a>", "<a b='&#x26;'/>", "<?pi x?><a/>", "<a>\r\n</a>",
        "<!DOCTYPE a><a/>", "<a>caf\u{E9}</a>", "<a>]]></a>", "<a b='1' b='2'/>", "<a x:b='1' xmlns:x='u' xmlns:y='u' y:b='2'/>",
        "<p:a/>", "<a xml:lang='en'/>", "<a xmlns:p=''/>", "<a b='<'/>", "<a>&nbsp;</a>", "<a/><b/>", "<a></b>",
        "<?xml version=\"1.1\"?><a/>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", "<a b='1'c='2'/>", "<a:b:c/>",
    ])
    func declinesWhatItDoesNotHandle(_ text: String) {
        #expect(plain(text) == nil)
    }

    @Test func unresolvedPrefixesAndReservedNamespacesAreLeftToLibxml2() {
        #expect(plain("<a xmlns='http://www.w3.org/XML/1998/namespace'/>") == nil)
        #expect(plain("<a xmlns:xmlns='urn:x'/>") == nil)
        #expect(plain("<x:a xmlns:y='urn:y'/>") == nil)
        // Found by the fuzz target: libxml2 keeps `&amp;` in a namespace name as `&#38;`.
        #expect(plain("<a xmlns='htt&amp;p://x'/>") == nil)
        #expect(plain("<p:a xmlns:p='u&amp;v'/>") == nil)
    }
}
