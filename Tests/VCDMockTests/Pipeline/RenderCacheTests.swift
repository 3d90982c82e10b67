import Testing
import VCDCore
import VCDXML
@testable import VCDMock

/// The org render cache: bounded by bytes and entries, oldest out first, one at a time.
@Suite struct RenderCacheTests {
    func key(_ n: Int, revision: UInt64 = 1, base: String = "h") -> RenderCache.Key {
        .init(kind: .org, place: n, id: CompactID("\(n)"), base: base, revision: revision)
    }

    /// Renders `n`'s document unless cached; counts renders.
    func get(_ cache: RenderCache, _ n: Int, _ renders: inout Int) -> [UInt8] {
        (try? cache.bytes(key(n)) { () throws(APIError) in
            renders += 1
            return [UInt8](repeating: UInt8(truncatingIfNeeded: n), count: 100)
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
        let kept = try cache.bytes(key(1)) { () throws(APIError) in grown }
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
        let key = RenderCache.Key(kind: .org, place: 1, id: CompactID("1"), base: "h", revision: 1)
        #expect(try cache.bytes(key) { () throws(APIError) in doc } == doc)
        var renders = 0
        #expect(try cache.bytes(key) { () throws(APIError) in renders += 1; return [] } == doc)
        #expect(renders == 0)
        #expect(cache.usage.bytes * 3 < doc.count, "held \(cache.usage.bytes) of \(doc.count) bytes")
    }

    /// The document the packer once got wrong (PackedDocumentTests): a hit is still the rendered bytes, and
    /// would be with a packer that got it wrong, since the cache keeps only a packed form that reads back.
    @Test func anAwkwardDocumentComesBackAsItWas() throws {
        let cache = RenderCache(plainBytes: 0)
        let doc = Array((String(repeating: "x", count: 230) + "\"00000000-0000-0000-0000-0000000000000-0000-0000-0000-000000000000\"").utf8)
        let key = RenderCache.Key(kind: .org, place: 1, id: CompactID("1"), base: "h", revision: 1)
        #expect(try cache.bytes(key) { () throws(APIError) in doc } == doc)
        #expect(try cache.bytes(key) { () throws(APIError) in [] } == doc)
    }

    /// A document that starts like a packed one is packed, so it never reads as packed by mistake.
    @Test func aDocumentStartingWithTheMarkComesBackAsItWas() throws {
        let cache = RenderCache()
        let odd: [UInt8] = [PackedDocument.mark, 5, 0, 0, 0, 0, 65, 66]
        let key = RenderCache.Key(kind: .org, place: 1, id: CompactID("1"), base: "h", revision: 1)
        #expect(try cache.bytes(key) { () throws(APIError) in odd } == odd)
        #expect(try cache.bytes(key) { () throws(APIError) in [] } == odd)
    }
}

/// Slots by the org's place: a slot answers only for the org, revision and base it was rendered for.
@Suite struct RenderCachePlaceTests {
    func key(place: Int, id: String, revision: UInt64 = 1, base: String = "h", kind: RenderCache.Key.Kind = .org) -> RenderCache.Key {
        .init(kind: kind, place: place, id: CompactID(id), base: base, revision: revision)
    }

    /// The document for `key`, rendered as `doc` unless cached; counts renders.
    func get(_ cache: RenderCache, _ key: RenderCache.Key, _ doc: String, _ renders: inout Int) -> String {
        let bytes = (try? cache.bytes(key) { () throws(APIError) in
            renders += 1
            return Array(doc.utf8)
        }) ?? []
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func anotherOrgAtThePlaceIsAMissAndReplacesIt() {
        let cache = RenderCache()
        var renders = 0
        #expect(get(cache, key(place: 3, id: "a"), "<Org a/>", &renders) == "<Org a/>")
        #expect(get(cache, key(place: 3, id: "b"), "<Org b/>", &renders) == "<Org b/>")
        #expect(get(cache, key(place: 3, id: "b"), "not again", &renders) == "<Org b/>")
        #expect(renders == 2)
        #expect(cache.usage.entries == 1 && cache.usage.bytes == 8)
    }

    @Test func aNewerRevisionOrAnotherBaseIsAMiss() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key(place: 0, id: "a", revision: 1), "<Org r1/>", &renders)
        #expect(get(cache, key(place: 0, id: "a", revision: 2), "<Org r2/>", &renders) == "<Org r2/>")
        #expect(get(cache, key(place: 0, id: "a", revision: 2, base: "other"), "<Org o/>", &renders) == "<Org o/>")
        #expect(renders == 3)
        #expect(cache.usage.entries == 1, "one document per slot")
    }

    @Test func theKindsAreSeparate() {
        let cache = RenderCache()
        var renders = 0
        _ = get(cache, key(place: 5, id: "a", kind: .org), "<Org 5.5/>", &renders)
        _ = get(cache, key(place: 5, id: "a", kind: .org33), "<Org 33/>", &renders)
        #expect(get(cache, key(place: 5, id: "a", kind: .org), "", &renders) == "<Org 5.5/>")
        #expect(get(cache, key(place: 5, id: "a", kind: .org33), "", &renders) == "<Org 33/>")
        #expect(renders == 2 && cache.usage.entries == 2)
    }

    /// Documents replaced after revision changes leave their old insertion records behind; those are dropped.
    @Test func replacedDocumentsLeaveNoTrail() {
        let cache = RenderCache()
        var renders = 0
        for revision in 1...10_000 { _ = get(cache, key(place: 0, id: "a", revision: UInt64(revision)), "<Org/>", &renders) }
        #expect(cache.usage.entries == 1 && cache.usage.records <= 2 + 1024, "records \(cache.usage.records)")
    }

    /// An old record of a slot filled again does not evict the slot's newer document: the oldest live one goes.
    @Test func aStaleRecordEvictsNothing() {
        let cache = RenderCache(limitBytes: 1 << 20, limitEntries: 2)
        var renders = 0
        for revision in 1...5 { _ = get(cache, key(place: 0, id: "a", revision: UInt64(revision)), "<Org a/>", &renders) }
        _ = get(cache, key(place: 1, id: "b"), "<Org b/>", &renders)
        _ = get(cache, key(place: 0, id: "a", revision: 6), "<Org a6/>", &renders)
        _ = get(cache, key(place: 2, id: "c"), "<Org c/>", &renders)  // over the bound
        renders = 0
        #expect(get(cache, key(place: 0, id: "a", revision: 6), "", &renders) == "<Org a6/>")
        #expect(get(cache, key(place: 2, id: "c"), "", &renders) == "<Org c/>")
        #expect(renders == 0 && cache.usage.entries == 2, "b, the oldest live document, went")
    }

    @Test func placesBeyondTheBoundAreNotKept() {
        let cache = RenderCache(limitPlaces: 10)
        var renders = 0
        _ = get(cache, key(place: 10, id: "a"), "<Org/>", &renders)
        _ = get(cache, key(place: 10, id: "a"), "<Org/>", &renders)
        #expect(renders == 2 && cache.usage.entries == 0)
    }
}
