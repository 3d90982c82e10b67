import VCDCore

/// Rendered org documents, reused until the org revision changes.
/// Access is checked before every lookup; the cache only saves the XML writing.
/// Indexed by the org's place in the org table (`Store.orgPlace`): one array slot per org and kind, where a
/// dictionary keyed by kind, id, base and revision cost a second hash probe (two L2 misses at 10,000 orgs) and
/// a second UUID parse per GET. A slot remembers the id, revision and base it was rendered for, so a place
/// that holds another org, or an older revision, is a miss. One document per slot: a second host name for the
/// same org replaces the first.
/// Bounded by bytes and entries; when full, the oldest entries go one by one (first in, first out), so a
/// working set just over the bound keeps most of its hits instead of none. The first `plainBytes` are kept
/// as rendered (a hit is the array itself); beyond them documents are packed (`PackedDocument`: an org
/// document of 1,121 bytes keeps 234), so 10,000 org documents hold ~3 MiB instead of 11.4. A packed hit
/// costs ~6k instructions more than a plain one (the unpack and a new array: 6.5% of a whole GET, measured
/// with callgrind over random orgs). 6 MiB plain was tried: +3.5 MiB RSS, no change the wall clock could see.
final class RenderCache: Sendable {
    struct Key: Sendable {
        enum Kind: Int, Sendable { case org, org33 }
        let kind: Kind
        /// The org's place in the org table at `revision`.
        let place: Int
        /// A UUID as 16 bytes: comparing it reads no heap copy.
        let id: CompactID
        let base: String
        let revision: UInt64

        init(kind: Kind, place: Int, id: CompactID, base: String, revision: UInt64) {
            (self.kind, self.place, self.id, self.base, self.revision) = (kind, place, id, base, revision)
        }
    }

    private struct Entry {
        var id: CompactID = .text("")
        var revision: UInt64 = 0
        /// Index into `State.bases`.
        var base: Int32 = 0
        /// The number of this document's record in `State.order`.
        var serial: UInt32 = 0
        /// Rendered or packed (a packed one starts with `PackedDocument.mark`); empty: no document.
        var document: [UInt8] = []

        /// A document for `key`'s org at `key`'s revision (the base is compared by the caller).
        func holds(_ key: Key) -> Bool { !document.isEmpty && revision == key.revision && id == key.id }
    }

    /// A document's place in the insertion order: its slot (kind + 2 × place) and its entry's serial. A slot
    /// filled again leaves its older record behind; a record whose serial is not its entry's is skipped.
    private struct Record {
        var slot: Int
        var serial: UInt32
    }

    private struct State {
        /// Per kind, per place.
        var slots: [[Entry]] = [[], []]
        /// Insertion order; `order[head...]` are the records that may still be live.
        var order: [Record] = []
        var head = 0
        var serial: UInt32 = 0
        var count = 0
        var bytes = 0
        /// The base URLs documents were rendered for: hosts vary, so they are bounded.
        var bases: [String] = []

        func isLive(_ r: Record) -> Bool {
            let e = slots[r.slot & 1][r.slot >> 1]
            return !e.document.isEmpty && e.serial == r.serial
        }

        /// Drops the records before `head`, and the stale ones once they outnumber the live ones (documents
        /// replaced after revision changes would otherwise grow the order without bound).
        mutating func compact() {
            if order.count - head > 2 * count + 1024 {
                order = order[head...].filter(isLive)
                head = 0
            } else if head > 1024, head * 2 > order.count {
                order.removeFirst(head)
                head = 0
            }
        }
    }

    private let state = Locked(State())
    private let limitBytes: Int
    private let limitEntries: Int
    private let plainBytes: Int
    /// Places beyond this are rendered every time: it bounds the slot arrays (48 bytes a place and kind).
    private let limitPlaces: Int

    /// 32 MiB of exact-size copies: every org document at 10,000 orgs. With 8 MiB, GET of a random org at
    /// 10,000 orgs fell to 0.68x of the default fixtures' (scripts/bench scale, c1b2e62), for 2.5 MiB less RSS
    /// after the bench's GET runs.
    init(limitBytes: Int = 32 << 20, limitEntries: Int = 65_536, plainBytes: Int = 1 << 20, limitPlaces: Int = 1 << 18) {
        self.limitBytes = limitBytes
        self.limitEntries = limitEntries
        self.plainBytes = plainBytes
        self.limitPlaces = limitPlaces
    }

    func bytes(_ key: Key, render: () throws(APIError) -> [UInt8]) throws(APIError) -> [UInt8] {
        if let hit = cached(key) { return hit.first == PackedDocument.mark ? PackedDocument.unpack(hit) : hit }
        return keep(try render(), as: key)
    }

    private func cached(_ key: Key) -> [UInt8]? {
        state.withLock { s in
            let kind = key.kind.rawValue
            guard key.place >= 0, key.place < s.slots[kind].count else { return nil }
            let e = s.slots[kind][key.place]
            guard e.holds(key), s.bases[Int(e.base)] == key.base else { return nil }
            return e.document
        }
    }

    /// A miss: the rendered document joins the cache (packed beyond `plainBytes`), the oldest leave if need be.
    private func keep(_ rendered: [UInt8], as key: Key) -> [UInt8] {
        guard !rendered.isEmpty, key.place >= 0, key.place < limitPlaces else { return rendered }
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
        // Replaced and evicted documents are released after the lock is let go.
        let released: [[UInt8]] = state.withLock { s in
            guard kept.count <= limitBytes else { return [] }
            let base: Int32
            if let i = s.bases.firstIndex(of: key.base) {
                base = Int32(i)
            } else if s.bases.count < 64 {
                base = Int32(s.bases.count)
                s.bases.append(key.base)
            } else {
                return []
            }
            let kind = key.kind.rawValue
            if s.slots[kind].count <= key.place {
                s.slots[kind].append(contentsOf: repeatElement(Entry(), count: key.place + 1 - s.slots[kind].count))
            }
            let old = s.slots[kind][key.place]
            // Another request may have kept the same document meanwhile.
            if old.holds(key), old.base == base { return [] }
            var gone: [[UInt8]] = []
            if !old.document.isEmpty {
                s.bytes -= old.document.count
                s.count -= 1
                gone.append(old.document)
            }
            s.serial &+= 1
            s.slots[kind][key.place] = Entry(id: key.id, revision: key.revision, base: base, serial: s.serial, document: kept)
            s.bytes += kept.count
            s.count += 1
            s.order.append(Record(slot: kind + 2 * key.place, serial: s.serial))
            while s.bytes > limitBytes || s.count > limitEntries, s.head < s.order.count {
                let r = s.order[s.head]
                s.head += 1
                guard s.isLive(r) else { continue }
                var evicted = Entry()
                swap(&evicted, &s.slots[r.slot & 1][r.slot >> 1])
                s.bytes -= evicted.document.count
                s.count -= 1
                gone.append(evicted.document)
            }
            s.compact()
            return gone
        }
        _ = released
        return plain ? kept : rendered
    }

    /// Drops every document (after a reset all of them are stale: the org revision moved on, so they would
    /// only wait to be evicted while holding up to `limitBytes`).
    func removeAll() {
        var old = State()
        state.withLock { swap(&$0, &old) }
    }

    /// Documents and bytes held, and insertion records kept (for tests).
    var usage: (entries: Int, bytes: Int, records: Int) { state.withLock { ($0.count, $0.bytes, $0.order.count - $0.head) } }
}
