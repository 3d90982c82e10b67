import VCDCore
import VCDHTTP

/// Rendered org documents, reused until the org revision changes.
/// Access is checked before every lookup; the cache only saves the XML writing.
/// Keyed by kind, org id and base, in an open-addressed table of 32-byte slots (`RenderSlots`) that also
/// holds each document's revision: a hit reads one slot and the store's revision counter, and never the
/// org table. (Indexed by the org's place instead, a hit also paid the org table's dictionary probe, and
/// its 48-byte slot straddled two lines half the time: a random GET at 10,000 orgs went from 10.6 to 8.4
/// L2 misses with this table, callgrind's cache simulation with this machine's 1 MiB L2.)
/// Bounded by bytes and entries; when full, the oldest entries go one by one (first in, first out), so a
/// working set just over the bound keeps most of its hits instead of none. The first `plainBytes` are kept
/// as rendered (a hit is the array itself); beyond them documents are packed (`PackedDocument`: an org
/// document of 1,121 bytes keeps 206), so 10,000 org documents hold ~2.5 MiB instead of 11.4. A packed hit
/// costs ~2.5k instructions more than a plain one (the unpack into a `BodyPool` array: 3% of a whole GET,
/// measured with callgrind over random orgs; it was ~6k with a new array and a record per code).
/// 6 MiB plain was tried: +3.5 MiB RSS, no change the wall clock could see.
final class RenderCache: Sendable {
    struct Key: Sendable {
        enum Kind: UInt8, Sendable { case org, org33 }
        let kind: Kind
        let id: CompactID
        /// The base URL the document's links were written for (hosts vary).
        let base: String

        init(kind: Kind, id: CompactID, base: String) { (self.kind, self.id, self.base) = (kind, id, base) }

        /// The id's 128 bits: a UUID's own; a text id of up to 15 bytes as its bytes and its length (top
        /// byte); a longer one as two 64-bit hashes (the process's seed, two prefixes) with the top byte 0xFF
        /// (two long ids share a slot only if both hashes collide: odds of 2^-120 per pair). Hashing every
        /// text id cost ~400 instructions a GET at the default fixtures, 0.45%.
        var words: (UInt64, UInt64, text: Bool) {
            switch id {
            case .uuid(let hi, let lo): return (hi, lo, false)
            case .text(let text):
                return withUTF8Bytes(text) { u in
                    if u.count <= 15 {
                        var w: (UInt64, UInt64) = (0, 0)
                        withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(u)) }
                        return (UInt64(littleEndian: w.0), UInt64(littleEndian: w.1) | UInt64(u.count) << 56, true)
                    }
                    var a = Hasher(), b = Hasher()
                    a.combine(0 as UInt8); b.combine(1 as UInt8)
                    a.combine(bytes: UnsafeRawBufferPointer(u)); b.combine(bytes: UnsafeRawBufferPointer(u))
                    return (UInt64(bitPattern: Int64(a.finalize())), UInt64(bitPattern: Int64(b.finalize())) | 0xFF << 56, true)
                }
            }
        }
    }

    /// The low byte of a slot's `meta`: 0x80 (taken), base index << 2, text << 1, kind.
    private static func tag(_ kind: Key.Kind, text: Bool, base: Int) -> UInt8 {
        0x80 | UInt8(base) << 2 | (text ? 2 : 0) | kind.rawValue
    }

    /// A document's place in the insertion order: its key and revision (`meta`). A document replaced by a
    /// newer revision leaves its old record behind; a record whose slot's `meta` is not its own is skipped.
    private struct Record {
        var k0: UInt64
        var k1: UInt64
        var meta: UInt64
    }

    private struct State {
        var table = RenderSlots(capacity: 1024)
        /// Insertion order; `order[head...]` are the records that may still be live.
        var order: [Record] = []
        var head = 0
        var bytes = 0
        /// The base URLs documents were rendered for: hosts vary, so they are bounded (5 bits of the tag).
        var bases: [String] = []

        func isLive(_ r: Record) -> Bool {
            table.find(r.k0, r.k1, UInt8(truncatingIfNeeded: r.meta)).map { table[$0].meta == r.meta } ?? false
        }

        /// Drops the records before `head`, and the stale ones once they outnumber the live ones (documents
        /// replaced after revision changes would otherwise grow the order without bound).
        mutating func compact() {
            if order.count - head > 2 * table.count + 1024 {
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

    /// 32 MiB of exact-size copies: every org document at 10,000 orgs. With 8 MiB, GET of a random org at
    /// 10,000 orgs fell to 0.68x of the default fixtures' (scripts/bench scale, c1b2e62), for 2.5 MiB less RSS
    /// after the bench's GET runs.
    init(limitBytes: Int = 32 << 20, limitEntries: Int = 65_536, plainBytes: Int = 1 << 20) {
        self.limitBytes = limitBytes
        self.limitEntries = limitEntries
        self.plainBytes = plainBytes
    }

    /// The document for `key`: cached if it was rendered at `revision` (the store's org revision now; nil
    /// always renders, for callers who may not read the org and get the render's error), else `render`'s,
    /// kept for the revision it was rendered at.
    func bytes(_ key: Key, at revision: UInt64?,
               render: () throws(APIError) -> (document: [UInt8], revision: UInt64)) throws(APIError) -> [UInt8] {
        try body(key, at: revision, pool: nil, render: render).bytes
    }

    /// The same for a response body: a packed hit is unpacked into an array of `pool`'s (`pooled`: the
    /// response gives it back once sent).
    func body(_ key: Key, at revision: UInt64?, pool: BodyPool?,
              render: () throws(APIError) -> (document: [UInt8], revision: UInt64)) throws(APIError) -> (bytes: [UInt8], pooled: Bool) {
        let (k0, k1, text) = key.words
        if let revision, let hit = cached(key, k0, k1, text, revision) {
            guard hit.first == PackedDocument.mark else { return (hit, false) }
            guard let pool else { return (PackedDocument.unpack(hit), false) }
            let bytes = pool.make(count: PackedDocument.unpackedCount(hit), spare: PackedDocument.spare) {
                PackedDocument.unpack(hit, into: $0)
            }
            return (bytes, true)
        }
        let made = try render()
        return (keep(made.document, as: key, k0, k1, text, revision: made.revision), false)
    }

    private func cached(_ key: Key, _ k0: UInt64, _ k1: UInt64, _ text: Bool, _ revision: UInt64) -> [UInt8]? {
        state.withLock { s in
            guard let base = s.bases.firstIndex(of: key.base),
                  let i = s.table.find(k0, k1, Self.tag(key.kind, text: text, base: base)),
                  s.table[i].meta >> 8 == revision else { return nil }
            // A packed org document and its array header are ~270 bytes: 384 covers them whatever the alignment.
            s.table.prefetchDocument(at: i, bytes: 384)
            return s.table[i].document
        }
    }

    /// A miss: the rendered document joins the cache (packed beyond `plainBytes`), the oldest leave if need be.
    private func keep(_ rendered: [UInt8], as key: Key, _ k0: UInt64, _ k1: UInt64, _ text: Bool, revision: UInt64) -> [UInt8] {
        guard !rendered.isEmpty, revision < 1 << 56 else { return rendered }
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
            let base: Int
            if let i = s.bases.firstIndex(of: key.base) {
                base = i
            } else if s.bases.count < 32 {
                base = s.bases.count
                s.bases.append(key.base)
            } else {
                return []
            }
            let meta = revision << 8 | UInt64(Self.tag(key.kind, text: text, base: base))
            var gone: [[UInt8]] = []
            if let i = s.table.find(k0, k1, UInt8(truncatingIfNeeded: meta)) {
                // Another request may have kept the same document meanwhile, or a newer one.
                if s.table[i].meta >= meta { return [] }
                s.bytes -= s.table[i].document.count
            }
            if let old = s.table.put(RenderSlots.Slot(k0: k0, k1: k1, meta: meta, document: kept)) { gone.append(old) }
            s.bytes += kept.count
            s.order.append(Record(k0: k0, k1: k1, meta: meta))
            while s.bytes > limitBytes || s.table.count > limitEntries, s.head < s.order.count {
                let r = s.order[s.head]
                s.head += 1
                guard let i = s.table.find(r.k0, r.k1, UInt8(truncatingIfNeeded: r.meta)), s.table[i].meta == r.meta else { continue }
                let evicted = s.table.remove(at: i)
                s.bytes -= evicted.count
                gone.append(evicted)
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
    var usage: (entries: Int, bytes: Int, records: Int) { state.withLock { ($0.table.count, $0.bytes, $0.order.count - $0.head) } }
}
