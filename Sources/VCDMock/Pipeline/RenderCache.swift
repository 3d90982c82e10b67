import VCDCore

/// Rendered documents that depend only on org data, reused until the org revision changes.
/// Access is checked before every lookup; the cache only saves the XML writing.
/// Bounded by bytes and entries; when full, the oldest entries go one by one (first in, first out), so a
/// working set just over the bound keeps most of its hits instead of none. The first `plainBytes` are kept
/// as rendered (a hit is the array itself); beyond them documents are packed (`PackedDocument`: an org
/// document of 1,121 bytes keeps 234), so 10,000 org documents hold ~3 MiB instead of 11.4. A packed hit
/// costs ~6k instructions more than a plain one (the unpack and a new array: 6.5% of a whole GET, measured
/// with callgrind over random orgs). 6 MiB plain was tried: +3.5 MiB RSS, no change the wall clock could see.
final class RenderCache: Sendable {
    struct Key: Hashable, Sendable {
        let kind: String
        /// A UUID as 16 bytes in the key itself: a `String` id was compared with `memcmp` against the cached
        /// key's heap copy, a cache miss per hit at 10,000 orgs.
        let id: CompactID
        let base: String
        let revision: UInt64

        init(kind: String, id: String, base: String, revision: UInt64) {
            self.init(kind: kind, id: CompactID(id), base: base, revision: revision)
        }

        private init(kind: String, id: CompactID, base: String, revision: UInt64) {
            (self.kind, self.id, self.base, self.revision) = (kind, id, base, revision)
        }

        func with(base: String) -> Key { Key(kind: kind, id: id, base: base, revision: revision) }
    }

    private struct State {
        /// Rendered or packed documents (a packed one starts with `PackedDocument.mark`).
        var entries: [Key: [UInt8]] = [:]
        /// Insertion order; `order[head...]` are the keys still cached.
        var order: [Key] = []
        var head = 0
        var bytes = 0
        /// One copy of each base URL for all keys, so that comparing a request's base reads memory that every
        /// hit touches (each key's own copy of a 22-byte base was one more cache miss). Bounded: hosts vary.
        var bases: Set<String> = []

        mutating func shared(_ base: String) -> String {
            if let i = bases.firstIndex(of: base) { return bases[i] }
            if bases.count < 64 { bases.insert(base) }
            return base
        }
    }

    private let state = Locked(State())
    private let limitBytes: Int
    private let limitEntries: Int
    private let plainBytes: Int

    /// 32 MiB of exact-size copies: every org document at 10,000 orgs. With 8 MiB, GET of a random org at
    /// 10,000 orgs fell to 0.68x of the default fixtures' (scripts/bench scale, c1b2e62), for 2.5 MiB less RSS
    /// after the bench's GET runs.
    init(limitBytes: Int = 32 << 20, limitEntries: Int = 65_536, plainBytes: Int = 1 << 20) {
        self.limitBytes = limitBytes
        self.limitEntries = limitEntries
        self.plainBytes = plainBytes
    }

    func bytes(_ key: Key, render: () throws(APIError) -> [UInt8]) throws(APIError) -> [UInt8] {
        if let hit = state.withLock({ $0.entries[key] }) { return hit.first == PackedDocument.mark ? PackedDocument.unpack(hit) : hit }
        return keep(try render(), as: key)
    }

    /// A miss: the rendered document joins the cache (packed beyond `plainBytes`), the oldest leave if need be.
    private func keep(_ rendered: [UInt8], as key: Key) -> [UInt8] {
        let plain = state.withLock { $0.bytes } + rendered.count <= plainBytes && rendered.first != PackedDocument.mark
        // A packed form is kept only if it unpacks to the same bytes (once per miss, ~3k instructions of the
        // pack's ~35k): a packer bug costs memory, never a wrong answer.
        var stored = rendered
        if !plain {
            let packed = PackedDocument.pack(rendered)
            if PackedDocument.unpack(packed) == rendered {
                stored = packed
            } else if rendered.first == PackedDocument.mark {
                return rendered  // kept plain it would read as packed: not kept at all
            }
        }
        // The writer's buffer grew by doubling (a 2.5 KB org document sits in 4 KB): the cache keeps an
        // exact-size copy, so `limitBytes` is what it really holds.
        let kept = stored.count == stored.capacity ? stored : [UInt8](unsafeUninitializedCapacity: stored.count) { out, n in
            n = stored.withUnsafeBufferPointer { out.initialize(fromContentsOf: $0) }
        }
        // Evicted documents are released after the lock is let go.
        let evicted: [[UInt8]] = state.withLock { s in
            guard s.entries[key] == nil, kept.count <= limitBytes else { return [] }
            let key = key.with(base: s.shared(key.base))
            s.entries[key] = kept
            s.order.append(key)
            s.bytes += kept.count
            var gone: [[UInt8]] = []
            while s.bytes > limitBytes || s.entries.count > limitEntries, s.head < s.order.count {
                if let old = s.entries.removeValue(forKey: s.order[s.head]) {
                    s.bytes -= old.count
                    gone.append(old)
                }
                s.head += 1
            }
            if s.head > 1024, s.head * 2 > s.order.count {
                s.order.removeFirst(s.head)
                s.head = 0
            }
            return gone
        }
        _ = evicted
        return plain ? kept : rendered
    }

    /// Drops every document (after a reset all of them are stale: the org revision moved on, so they would
    /// only wait to be evicted while holding up to `limitBytes`).
    func removeAll() {
        var old = State()
        state.withLock { swap(&$0, &old) }
    }

    /// Documents and bytes held (for tests).
    var usage: (entries: Int, bytes: Int) { state.withLock { ($0.entries.count, $0.bytes) } }
}
