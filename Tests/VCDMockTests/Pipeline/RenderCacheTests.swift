import Testing
@testable import VCDHTTP
import VCDCore
import VCDXML
@testable import VCDMock

/// The org render cache: bounded by bytes and entries, oldest out first, one at a time.
@Suite struct RenderCacheTests {
    func key(_ n: Int) -> RenderCache.Key { .init(kind: .org, id: CompactID("\(n)"), base: "h") }

    /// Renders `n`'s document unless cached; counts renders.
    func get(_ cache: RenderCache, _ n: Int, _ renders: inout Int) -> [UInt8] {
        (try? cache.bytes(key(n), at: 1) { () throws(APIError) in
            renders += 1
            return ([UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 100), 1)
        }) ?? []
    }

    @Test func aHitDoesNotRenderAgain() {
        let cache = RenderCache()
        var renders = 0
        #expect(get(cache, 1, &renders) == [UInt8](repeating: 1, count: 100))
        #expect(get(cache, 1, &renders) == [UInt8](repeating: 1, count: 100))
        #expect(renders == 1)
    }

    @Test func theOldestGoFirstAndTheBoundHolds() {
        let cache = RenderCache(limitBytes: 1000, limitEntries: 100)  // ten documents of 100 bytes
        var renders = 0
        for n in 0..<15 { _ = get(cache, n, &renders) }
        #expect(cache.usage.entries == 10)
        #expect(cache.usage.bytes == 1000)
        renders = 0
        for n in 5..<15 { _ = get(cache, n, &renders) }
        #expect(renders == 0, "the newest ten stayed")
        _ = get(cache, 0, &renders)
        #expect(renders == 1, "the oldest were evicted")
    }

    /// A working set just over the bound keeps most of its hits (the old cache emptied itself when full).
    @Test func aWorkingSetOverTheBoundKeepsMostHits() {
        let cache = RenderCache(limitBytes: 100 * 1000, limitEntries: 1000)
        var renders = 0
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 { _ = get(cache, Int.random(in: 0..<1100, using: &rng), &renders) }
        #expect(renders < 20_000 / 4, "renders \(renders) of 20000")
        #expect(cache.usage.entries <= 1000)
    }

    @Test func entriesBoundTheCountToo() {
        let cache = RenderCache(limitBytes: 1 << 30, limitEntries: 3)
        var renders = 0
        for n in 0..<10 { _ = get(cache, n, &renders) }
        #expect(cache.usage.entries == 3)
    }

    /// A writer's buffer has slack (it grew by doubling); the cache keeps only the bytes it counts.
    @Test func aCachedDocumentHasNoSlack() throws {
        let cache = RenderCache()
        var grown: [UInt8] = []
        for n in 0 ..< 2_500 { grown.append(UInt8(truncatingIfNeeded: n)) }
        #expect(grown.capacity >= 3_000, "the test needs a buffer with slack")
        let kept = try cache.bytes(key(1), at: 1) { () throws(APIError) in (grown, 1) }
        #expect(kept == grown)
        #expect(kept.capacity < 2_500 + 64, "capacity \(kept.capacity)")
        #expect(cache.usage.bytes == 2_500)
    }

    @Test func removeAllEmptiesIt() {
        let cache = RenderCache()
        var renders = 0
        for n in 0 ..< 5 { _ = get(cache, n, &renders) }
        cache.removeAll()
        #expect(cache.usage.entries == 0 && cache.usage.bytes == 0)
        _ = get(cache, 1, &renders)
        #expect(renders == 6)
    }
}

/// Beyond `plainBytes` the cache packs what it keeps; a hit gives back the rendered bytes.
@Suite struct RenderCachePackingTests {
    @Test func packedHitsGiveTheRenderedDocument() throws {
        let cache = RenderCache(plainBytes: 0)
        let doc = OrgDocument.org(PackedDocumentTests.org, hrefs: Hrefs(base: "http://127.0.0.1:31999"))
        let key = RenderCache.Key(kind: .org, id: CompactID("1"), base: "h")
        #expect(try cache.bytes(key, at: 1) { () throws(APIError) in (doc, 1) } == doc)
        var renders = 0
        #expect(try cache.bytes(key, at: 1) { () throws(APIError) in renders += 1; return ([], 1) } == doc)
        #expect(renders == 0)
        #expect(cache.usage.bytes * 3 < doc.count, "held \(cache.usage.bytes) of \(doc.count) bytes")
    }

    /// A response body: a packed hit is unpacked into an array of the pool's (and says so); a render and a
    /// plain hit are the documents themselves.
    @Test func aPackedHitIsAPooledBody() throws {
        let pool = BodyPool()
        let doc = OrgDocument.org(PackedDocumentTests.org, hrefs: Hrefs(base: "http://127.0.0.1:31999"))
        let key = RenderCache.Key(kind: .org, id: CompactID("1"), base: "h")
        let packing = RenderCache(plainBytes: 0)
        let miss = try packing.body(key, at: 1, pool: pool) { () throws(APIError) in (doc, 1) }
        #expect(miss.bytes == doc && !miss.pooled)
        for _ in 0..<3 {
            let hit = try packing.body(key, at: 1, pool: pool) { () throws(APIError) in ([], 1) }
            #expect(hit.bytes == doc && hit.pooled)
            pool.recycle(hit.bytes)
        }
        #expect(pool.count == 1, "one array, written three times")
        let plain = RenderCache()
        _ = try plain.body(key, at: 1, pool: pool) { () throws(APIError) in (doc, 1) }
        let hit = try plain.body(key, at: 1, pool: pool) { () throws(APIError) in ([], 1) }
        #expect(hit.bytes == doc && !hit.pooled)
    }

    /// The document the packer once got wrong (PackedDocumentTests): a hit is still the rendered bytes, and
    /// would be with a packer that got it wrong, since the cache keeps only a packed form that reads back.
    @Test func anAwkwardDocumentComesBackAsItWas() throws {
        let cache = RenderCache(plainBytes: 0)
        let doc = Array((String(repeating: "x", count: 230) + "\"00000000-0000-0000-0000-0000000000000-0000-0000-0000-000000000000\"").utf8)
        let key = RenderCache.Key(kind: .org, id: CompactID("1"), base: "h")
        #expect(try cache.bytes(key, at: 1) { () throws(APIError) in (doc, 1) } == doc)
        #expect(try cache.bytes(key, at: 1) { () throws(APIError) in ([], 1) } == doc)
    }

    /// A document that starts like a packed one is packed, so it never reads as packed by mistake.
    @Test func aDocumentStartingWithTheMarkComesBackAsItWas() throws {
        let cache = RenderCache()
        let odd: [UInt8] = [PackedDocument.mark, 5, 0, 0, 0, 0, 65, 66]
        let key = RenderCache.Key(kind: .org, id: CompactID("1"), base: "h")
        #expect(try cache.bytes(key, at: 1) { () throws(APIError) in (odd, 1) } == odd)
        #expect(try cache.bytes(key, at: 1) { () throws(APIError) in ([], 1) } == odd)
    }
}

/// A document answers only for its kind, org id and base, at the revision it was rendered at.
@Suite struct RenderCacheKeyTests {
    func key(_ id: String, base: String = "h", kind: RenderCache.Key.Kind = .org) -> RenderCache.Key {
        .init(kind: kind, id: CompactID(id), base: base)
    }

    /// The document for `key` at `revision`, rendered as `doc` unless cached; counts renders.
    func get(_ cache: RenderCache, _ key: RenderCache.Key, at revision: UInt64? = 1, _ doc: String,
             _ renders: inout Int) -> String {
        let bytes = (try? cache.bytes(key, at: revision) { () throws(APIError) in
            renders += 1
            return (Array(doc.utf8), revision ?? 1)
        }) ?? []
        return String(decoding: bytes, as: UTF8.self)
    }

    static let uuidA = "0b9c3f1e-5a4d-4e2b-9c1d-7f6e5d4c3b2a"
    static let uuidB = "0b9c3f1e-5a4d-4e2b-9c1d-7f6e5d4c3b2b"

    @Test func eachOrgHasItsOwnDocument() {
        let cache = RenderCache()
        var renders = 0
        for id in ["a", "b", Self.uuidA, Self.uuidB] { _ = get(cache, key(id), "<Org \(id)/>", &renders) }
        for id in ["a", "b", Self.uuidA, Self.uuidB] { #expect(get(cache, key(id), "again", &renders) == "<Org \(id)/>") }
        #expect(renders == 4 && cache.usage.entries == 4)
    }

    /// An upper-case UUID is a text id (it would not print back the same), so another org.
    @Test func anUpperCaseUUIDIsAnotherId() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key(Self.uuidA), "<Org uuid/>", &renders)
        #expect(get(cache, key(Self.uuidA.uppercased()), "<Org text/>", &renders) == "<Org text/>")
        #expect(renders == 2)
    }

    /// Short text ids are kept as their bytes and length, long ones hashed: none of these meet.
    @Test func textIdsOfEveryLengthAreApart() {
        let cache = RenderCache()
        var renders = 0
        let ids = ["", "a", "a\u{0}", "\u{0}a", String(repeating: "x", count: 15), String(repeating: "x", count: 16),
                   String(repeating: "x", count: 14) + "\u{0}", "org-" + String(repeating: "y", count: 40),
                   "org-" + String(repeating: "y", count: 39) + "z"]
        for id in ids { _ = get(cache, key(id), "<Org \(id)/>", &renders) }
        for id in ids { #expect(get(cache, key(id), "again", &renders) == "<Org \(id)/>") }
        #expect(renders == ids.count && cache.usage.entries == ids.count)
    }

    @Test func aNewerRevisionIsAMissThatReplaces() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key("a"), at: 1, "<Org r1/>", &renders)
        #expect(get(cache, key("a"), at: 2, "<Org r2/>", &renders) == "<Org r2/>")
        #expect(get(cache, key("a"), at: 2, "", &renders) == "<Org r2/>")
        #expect(renders == 2 && cache.usage.entries == 1 && cache.usage.bytes == 9)
    }

    /// A render that read an older revision than the one kept does not replace the newer document.
    @Test func anOlderRenderKeepsTheNewerDocument() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key("a"), at: 5, "<Org r5/>", &renders)
        _ = get(cache, key("a"), at: 4, "<Org r4/>", &renders)
        #expect(get(cache, key("a"), at: 5, "", &renders) == "<Org r5/>")
        #expect(renders == 2)
    }

    /// No revision (a caller who may not read the org): always the render, whose error is the answer.
    @Test func noRevisionAlwaysRenders() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key("a"), "<Org/>", &renders)
        #expect(throws: APIError.self) {
            try cache.bytes(key("a"), at: nil) { () throws(APIError) in throw .forbidden("no") }
        }
        #expect(renders == 1)
    }

    @Test func basesAndKindsAreSeparate() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key("a"), "<Org h/>", &renders)
        _ = get(cache, key("a", base: "other"), "<Org o/>", &renders)
        _ = get(cache, key("a", kind: .org33), "<Org 33/>", &renders)
        #expect(get(cache, key("a"), "", &renders) == "<Org h/>")
        #expect(get(cache, key("a", base: "other"), "", &renders) == "<Org o/>")
        #expect(get(cache, key("a", kind: .org33), "", &renders) == "<Org 33/>")
        #expect(renders == 3 && cache.usage.entries == 3)
    }

    /// Documents replaced after revision changes leave their old insertion records behind; those are dropped.
    @Test func replacedDocumentsLeaveNoTrail() {
        let cache = RenderCache()
        var renders = 0
        for revision in 1...10_000 { _ = get(cache, key("a"), at: UInt64(revision), "<Org/>", &renders) }
        #expect(cache.usage.entries == 1 && cache.usage.records <= 2 + 1024, "records \(cache.usage.records)")
    }

    /// An old record of a document replaced since does not evict the newer document: the oldest live one goes.
    @Test func aStaleRecordEvictsNothing() {
        let cache = RenderCache(limitBytes: 1 << 20, limitEntries: 2)
        var renders = 0
        for revision in 1...5 { _ = get(cache, key("a"), at: UInt64(revision), "<Org a/>", &renders) }
        _ = get(cache, key("b"), at: 5, "<Org b/>", &renders)
        _ = get(cache, key("a"), at: 6, "<Org a6/>", &renders)
        _ = get(cache, key("c"), at: 6, "<Org c/>", &renders)  // over the bound
        renders = 0
        #expect(get(cache, key("a"), at: 6, "", &renders) == "<Org a6/>")
        #expect(get(cache, key("c"), at: 6, "", &renders) == "<Org c/>")
        #expect(renders == 0 && cache.usage.entries == 2, "b, the oldest live document, went")
    }

    /// Host names are bounded: past 32 bases, documents for new ones are rendered every time.
    @Test func basesAreBounded() {
        let cache = RenderCache()
        var renders = 0
        for n in 0..<40 { _ = get(cache, key("a", base: "host\(n)"), "<Org/>", &renders) }
        #expect(cache.usage.entries == 32)
    }
}
