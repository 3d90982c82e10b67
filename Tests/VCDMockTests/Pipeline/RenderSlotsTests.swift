import Testing
@testable import VCDMock

/// The render cache's open-addressed table against a dictionary doing the same: deletion shifts slots back,
/// so every key stays reachable after any mix of puts, removals and growth.
@Suite struct RenderSlotsTests {
    @Test func slotsAreHalfALineInAlignedMemory() {
        #expect(MemoryLayout<RenderSlots.Slot>.stride == 32)
    }

    /// Keys share their words across tags (another kind or base of the same org), so the tag is part of the key.
    @Test func agreesWithADictionaryThroughPutsRemovalsAndGrowth() {
        let table = RenderSlots(capacity: 16)
        struct Key: Hashable { let k: UInt64, tag: UInt8 }
        var model: [Key: UInt64] = [:]  // -> meta
        var rng = SplitMix(seed: 7)
        for step in 0..<200_000 {
            let key = Key(k: rng.next() % 1_000, tag: UInt8(0x80 | rng.next() % 4))
            let doc = [UInt8(truncatingIfNeeded: key.k), key.tag]
            if rng.next() % 3 == 0 {
                if let i = table.find(key.k, ~key.k, key.tag) {
                    #expect(table[i].meta == model[key])
                    #expect(table.remove(at: i) == doc)
                    model[key] = nil
                } else {
                    #expect(model[key] == nil, "key \(key) lost at step \(step)")
                }
            } else {
                let meta = UInt64(step) << 8 | UInt64(key.tag)
                let replaced = table.put(RenderSlots.Slot(k0: key.k, k1: ~key.k, meta: meta, document: doc))
                #expect(replaced == (model[key] == nil ? nil : doc), "put gives back the document it replaced")
                model[key] = meta
            }
        }
        #expect(table.count == model.count)
        for (key, meta) in model {
            #expect(table.find(key.k, ~key.k, key.tag).map { table[$0].meta } == meta)
        }
        #expect(table.capacity >= 4 * model.count / 3)
    }

    /// Deterministic, so a failure repeats.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
