import Testing
import VCDCore
import VCDXML
@testable import VCDMock

/// Packed org documents for the render cache: any bytes come back as they were, org documents shrink.
@Suite struct PackedDocumentTests {
    static let org = Org(id: "690c3164-1880-835b-893d-2991744e2226", name: "org00001", fullName: "Generated Org 1",
                         vdcs: [InventoryItem(kind: .vdc, id: "a26cd279-f4f9-81d6-95b1-0b221b1fe068", name: "org00001-vdc")],
                         catalogs: [InventoryItem(kind: .catalog, id: "f442afb5-d884-8b72-9e28-06aa51b2f3d8", name: "org00001-catalog")],
                         networks: [InventoryItem(kind: .network, id: "8372e17b-c0f8-8cd3-a0f1-bd66c5d9b621", name: "org00001-net")])

    func roundTrip(_ doc: [UInt8]) -> [UInt8] { PackedDocument.unpack(PackedDocument.pack(doc)) }

    /// Under a quarter (UUIDs as 16 bytes): each line of it is an L2 miss for a GET of a random org at 10,000 orgs.
    @Test(arguments: [false, true]) func anOrgDocumentComesBackFromUnderAQuarter(vdcQuery: Bool) {
        let doc = OrgDocument.org(Self.org, hrefs: Hrefs(base: "http://127.0.0.1:31999"), vdcQuery: vdcQuery)
        let packed = PackedDocument.pack(doc)
        #expect(PackedDocument.unpack(packed) == doc)
        #expect(packed.count * 4 < doc.count, "\(packed.count) of \(doc.count) bytes")
    }

    /// Found by the `packed` fuzz target: a UUID first met where its run had no room for it (so written byte by
    /// byte) was referred back to from inside itself, where the same value starts again in a run of zeros.
    @Test func aUUIDOverlappingItsFirstPlaceComesBack() {
        for filler in [0, 200, 230, 254] {
            let text = String(repeating: "x", count: filler) + "\"00000000-0000-0000-0000-0000000000000-0000-0000-0000-000000000000\""
            #expect(roundTrip(Array(text.utf8)) == Array(text.utf8), "after \(filler) bytes")
        }
    }

    @Test func oddBytesComeBackAsTheyWere() {
        let cases: [String] = [
            "", "\u{1}", "\u{1}\u{1}x\u{1}", "<Org href=\"", "href=\"http://h/api/", "href=\"http://h/api/x\" href=\"http://h/api/",
            "690C3164-1880-835B-893D-2991744E2226", "690c3164-1880-835b-893d-2991744e222", "690c3164-1880-835b-893d-2991744e2226",
            "x690c3164-1880-835b-893d-2991744e22260", "\u{1}\u{FF}\u{FE}", "org/org/vdc/\" name=\"\"/>", "ünïcödé \u{1} <Link rel=\"down\" type=\"",
        ]
        for text in cases { #expect(roundTrip(Array(text.utf8)) == Array(text.utf8), "\(text)") }
        // A UUID whose bytes contain the escape byte.
        let id = "01010101-0101-0101-0101-010101010101"
        #expect(roundTrip(Array("href=\"b/api/\(id)\u{1}".utf8)) == Array("href=\"b/api/\(id)\u{1}".utf8))
        // A UUID repeated beyond the offsets a back reference can name, and one repeated within them.
        let far = Array("\(id)x\(String(repeating: "y", count: 70_000))\(id)z\(id)".utf8)
        #expect(roundTrip(far) == far)
        let uuid = "690c3164-1880-835b-893d-2991744e2226"
        let near = Array((String(repeating: "w", count: 65_000) + uuid + uuid + String(repeating: "v", count: 1_000) + uuid).utf8)
        #expect(roundTrip(near) == near)
        let thrice = Array((uuid + uuid + uuid).utf8)
        #expect(roundTrip(thrice) == thrice && PackedDocument.pack(thrice).count < 16 + 20, "16 bytes, then references to them")
    }

    @Test func randomBytesComeBackAsTheyWere() {
        var rng = SystemRandomNumberGenerator()
        let pieces = PackedDocument.words + [Array("href=\"http://h/api/".utf8), Array("690c3164-1880-835b-893d-2991744e2226".utf8), [1], [0xFD], [0xFE], [0xFF]]
        for _ in 0 ..< 2_000 {
            var doc: [UInt8] = []
            for _ in 0 ..< Int.random(in: 0 ..< 30, using: &rng) {
                if Bool.random(using: &rng) { doc += pieces.randomElement(using: &rng) ?? [] } else { doc.append(UInt8.random(in: 0 ... 255, using: &rng)) }
            }
            #expect(roundTrip(doc) == doc)
        }
    }
}
