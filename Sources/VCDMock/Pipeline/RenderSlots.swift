import CSupport

/// The render cache's table: open addressing with linear probing over 32-byte slots in 64-byte-aligned
/// memory, so a lookup reads one cache line (a Swift array's elements start 32 bytes past a 16-byte-aligned
/// header, and a 32-byte slot there straddles two lines every other time). A slot holds its key, its
/// revision and its document; nothing else is read on a hit. Not locked itself: the cache holds it under
/// its lock. Deletion shifts the following slots back (no tombstones), so probes stay short after evictions.
final class RenderSlots {
    /// An org document: its key (the org id's 128 bits, `RenderCache.Key.words`, and the tag in `meta`'s low
    /// byte), its revision and its bytes.
    struct Slot {
        var k0: UInt64 = 0
        var k1: UInt64 = 0
        /// 0: empty. Else `revision << 8 | tag` (the tag's layout: `RenderCache.tag`).
        var meta: UInt64 = 0
        var document: [UInt8] = []

        var isEmpty: Bool { meta == 0 }
        func matches(_ k0: UInt64, _ k1: UInt64, _ tag: UInt8) -> Bool {
            self.k0 == k0 && self.k1 == k1 && UInt8(truncatingIfNeeded: meta) == tag
        }
    }

    private var slots: UnsafeMutablePointer<Slot>
    private(set) var capacity: Int
    private(set) var count = 0

    /// `capacity` is rounded up to a power of two.
    init(capacity: Int) {
        self.capacity = max(16, 1 << (Int.bitWidth - (max(16, capacity) - 1).leadingZeroBitCount))
        slots = Self.allocate(self.capacity)
    }

    deinit {
        slots.deinitialize(count: capacity)
        UnsafeMutableRawPointer(slots).deallocate()
    }

    private static func allocate(_ n: Int) -> UnsafeMutablePointer<Slot> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Slot>.stride, alignment: 64)
        let typed = raw.bindMemory(to: Slot.self, capacity: n)
        typed.initialize(repeating: Slot(), count: n)
        return typed
    }

    private var mask: Int { capacity - 1 }

    /// UUIDs are random bits already; hashed text ids too. The multiply spreads the tag and sequential ids.
    private func home(_ k0: UInt64, _ k1: UInt64, _ tag: UInt8) -> Int {
        let h = (k0 ^ (k1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(tag)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: h >> 32) & mask
    }

    /// Starts loading the first `bytes` of slot `i`'s document (its array storage, header first) without
    /// waiting: the lines then arrive together, not one miss after another as the unpack reaches them.
    func prefetchDocument(at i: Int, bytes: Int) {
        // An array is one reference to its storage: its bits are the storage's address (no load, no retain).
        // Were they not, the hint would only be wasted: a prefetch never faults.
        vcdm_prefetch(unsafeBitCast(slots[i].document, to: UnsafeRawPointer.self), UInt(bytes))
    }

    /// The slot that holds the key, if any.
    func find(_ k0: UInt64, _ k1: UInt64, _ tag: UInt8) -> Int? {
        var i = home(k0, k1, tag)
        while !slots[i].isEmpty {
            if slots[i].matches(k0, k1, tag) { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    subscript(i: Int) -> Slot {
        _read { yield slots[i] }
    }

    /// Sets the slot of `slot`'s key, adding it if new; returns the document it replaced. The table grows to
    /// stay at most 3/4 full: at 10,000 orgs, 16,384 slots in 512 KiB, where a probe averages under two
    /// slots, mostly in one line.
    @discardableResult
    func put(_ slot: Slot) -> [UInt8]? {
        let tag = UInt8(truncatingIfNeeded: slot.meta)
        if let i = find(slot.k0, slot.k1, tag) {
            var old = slot
            swap(&old, &slots[i])
            return old.document
        }
        if (count + 1) * 4 > capacity * 3 { grow() }
        var i = home(slot.k0, slot.k1, tag)
        while !slots[i].isEmpty { i = (i + 1) & mask }
        slots[i] = slot
        count += 1
        return nil
    }

    /// Empties slot `i` and moves back the slots after it that probed past it; returns its document.
    func remove(at index: Int) -> [UInt8] {
        var gone = Slot()
        swap(&gone, &slots[index])
        var hole = index
        var j = index
        while true {
            j = (j + 1) & mask
            if slots[j].isEmpty { break }
            let h = home(slots[j].k0, slots[j].k1, UInt8(truncatingIfNeeded: slots[j].meta))
            // Slot j may fill the hole unless its home lies cyclically in (hole, j].
            let stays = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j)
            if !stays {
                swap(&slots[hole], &slots[j])
                hole = j
            }
        }
        count -= 1
        return gone.document
    }

    private func grow() {
        let old = slots, oldCapacity = capacity
        capacity *= 2
        slots = Self.allocate(capacity)
        for i in 0..<oldCapacity where !old[i].isEmpty {
            var j = home(old[i].k0, old[i].k1, UInt8(truncatingIfNeeded: old[i].meta))
            while !slots[j].isEmpty { j = (j + 1) & mask }
            swap(&slots[j], &old[i])
        }
        old.deinitialize(count: oldCapacity)
        UnsafeMutableRawPointer(old).deallocate()
    }
}
