import Testing
@testable import VCDMock

/// The render cache's open-addressed table against a dictionary doing the same: deletion shifts slots back,
/// so every key stays reachable after any mix of puts, removals and growth.
@Suite struct RenderSlotsTests {
    @Test func slotsAreHalfALineInAlignedMemory() {
        #expect(MemoryLayout<RenderSlots.Slot>.stride == 32)
    }

    @Test func agreesWithADictionaryThroughPutsRemovalsAndGrowth() {
        let table = RenderSlots(capacity: 16)
        var model: [UInt64: UInt64] = [:]  // key -> meta
        var rng = SplitMix(seed: 7)
        for step in 0..<200_000 {
            let k = rng.next() % 3_000
            let tag = UInt8(0x80 | k % 4)
            let meta = UInt64(step) << 8 | UInt64(tag)
            if rng.next() % 3 == 0 {
                if let i = table.find(k, ~k, tag) {
                    #expect(table[i].meta == model[k])
                    #expect(table.remove(at: i) == [UInt8(truncatingIfNeeded: k)])
                    model[k] = nil
                } else {
                    #expect(model[k] == nil, "key \(k) lost at step \(step)")
                }
            } else {
                table.put(RenderSlots.Slot(k0: k, k1: ~k, meta: meta, document: [UInt8(truncatingIfNeeded: k)]))
                model[k] = meta
            }
        }
        #expect(table.count == model.count)
        for (k, meta) in model {
            #expect(table.find(k, ~k, UInt8(truncatingIfNeeded: meta)).map { table[$0].meta } == meta)
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
