import Testing
@testable import VCDXML

/// `XMLReader.parse` reads a body followed by NUL padding first (fewer libxml2 input refills; CLibXML2/shim.h)
/// and falls back to the body as sent when that fails. The padding must never change what a body means:
/// every prefix of these documents parses to the same tree both ways, or fails both ways.
@Suite struct XMLReaderPaddingTests {
    init() { XMLReader.initialize() }

    static let documents = [
        #"<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example" operation="bench"/>"#,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\" name=\"a &amp; b\">\r\n"
            + "  <Description>x &lt; y &#233;</Description>\n  <Progress> 42 </Progress><![CDATA[c]]><!-- c --><?pi x?>\n</Task>\n",
        "<a:Event xmlns:a=\"urn:x\" a:b='1'>\t<Owner href=\"h\"\tname=\"n&#10;m\"/>caf\u{E9} \u{1F600}</a:Event><!-- after -->  \n",
        "<r>" + String(repeating: "<c k=\"v\">t</c>", count: 40) + "</r>",
    ]

    func same(_ bytes: [UInt8]) -> Bool {
        (try? XMLReader.parse(bytes, padded: true)) == (try? XMLReader.parse(bytes, padded: false))
    }

    @Test(arguments: documents)
    func everyPrefixParsesTheSameWithAndWithoutPadding(_ document: String) {
        let bytes = Array(document.utf8)
        #expect((try? XMLReader.parse(bytes, padded: true)) != nil, "the whole document must parse")
        for end in 1...bytes.count where !same(Array(bytes[0..<end])) {
            Issue.record("prefix of \(end) bytes parses differently padded: \(String(decoding: bytes[0..<end], as: UTF8.self))")
        }
    }

    @Test(arguments: ["<a/>\u{0}", "<a>\u{0}</a>", "<a/>x", "<a/><b/>", "<a/>\u{0}<b/>", "<a/><!-- x", "<a/><?pi", " ", "<a"])
    func oddEndingsParseTheSameWithAndWithoutPadding(_ text: String) {
        #expect(same(Array(text.utf8)))
    }

    @Test func aUTF16DocumentParsesTheSameWithAndWithoutPadding() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<a b=\"\u{E9}\">t</a>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let plain = try XMLReader.parse(bytes, padded: false)
        #expect(try XMLReader.parse(bytes) == plain)
        #expect(plain.attributes["b"] == "\u{E9}")
    }

    /// A failure is reported from the parse of the body as sent: its line and message are libxml2's own.
    @Test func aMalformedBodyIsReportedAsParsedWithoutPadding() {
        let bytes = Array("<a>\n<b>\n</a>".utf8)
        var full: XMLParseError?, plain: XMLParseError?
        do { _ = try XMLReader.parse(bytes) } catch { full = error }
        do { _ = try XMLReader.parse(bytes, padded: false) } catch { plain = error }
        #expect(full != nil && full == plain)
    }
}
