import Testing
@testable import VCDMock

/// The Accept header's `version=`: found in any case and spacing, and only when it names an offered version.
@Suite struct NegotiationTests {
    let offered = ["1.5", "5.1", "5.5", "29.0", "36.0"]

    @Test(arguments: [
        ("application/*+xml;version=5.5", "5.5"),
        ("application/*+xml; Version = \"36.0\"", "36.0"),
        ("application/*+xml;VERSION=1.5, text/xml", "1.5"),
        ("a;versionx=5.5;version=5.1", "5.1"),
        ("application/*+xml;version=29.0;charset=utf-8", "29.0"),
    ])
    func offeredVersionsAreFound(_ accept: String, _ version: String) {
        #expect(Negotiation.version(accept, offered: offered) == version)
    }

    @Test(arguments: ["application/*+xml;version=99.0", "application/*+xml;version=5.55", "application/*+xml;version=5.",
                      "application/*+xml;version=", "application/*+xml;versio", "application/*+xml", "", "v", "version"])
    func anythingElseIsNil(_ accept: String) {
        #expect(Negotiation.version(accept, offered: offered) == nil)
        #expect(Negotiation.version(nil, offered: offered) == nil)
    }
}
