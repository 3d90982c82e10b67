import VCDCore

/// One handled request as `GET /mock/requests` shows it. Only values the request path already has: no
/// formatting happens when it is recorded.
public struct JournalEntry: Sendable {
    public let time: Timestamp
    public let method: String
    public let path: String
    public let query: String?
    public let status: Int
    public let micros: UInt64
    public let org: String?
    public let user: String?
    public let requestID: String
}

/// The last `capacity` handled requests, oldest first; older ones are dropped and counted.
/// A fixed ring of 128-byte records under a short lock: recording is one record write, the request's texts
/// (method, path, query, org, user) inline in it, and the evicted record is released after the lock is let
/// go. At 10,000 entries the ring is larger than a core's L2, so what each request writes is a cache miss
/// that also evicts something the next request needs: a 120-byte record with the texts in a side block
/// wrote ~200 bytes a request (3 of the ~8 L2 misses of a random GET at 10,000 orgs, callgrind's cache
/// simulation); this writes 128. Texts are copied, not kept as the request's strings: keeping each
/// request's strings pinned thousands of small heap blocks spread over everything else the requests
/// allocated (at 10,000 orgs, 18 MiB freed by `POST /mock/reset` could not go back to the system around
/// them). Texts that do not fit inline go to a shared 64 KB block.
public final class RequestJournal: Sendable {
    public let capacity: Int
    private let ring: Locked<Ring>

    private struct Ring {
        var entries: BoundedRing<Record>
        var block = TextBlock(capacity: TextBlock.size)
    }

    /// One request in 128 bytes. Its texts are each a length (LEB128, 0 for none, n + 1 for n bytes) then
    /// the bytes: method, path, query, org, user, and the request id when it is not a lowercase UUID.
    private struct Record: Sendable {
        static let inlineBytes = 80
        var time: Int64 = 0
        /// The request id as a UUID's two words (flags bit 0 clear).
        var idHi: UInt64 = 0
        var idLo: UInt64 = 0
        /// Where the texts are when they did not fit inline.
        var block: TextBlock? = nil
        var micros: UInt64 = 0
        var offset: UInt32 = 0
        var status: UInt16 = 0
        /// Bit 0: the request id is a text, the last one.
        var flags: UInt8 = 0
        var inline: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    }

    /// A record's size (for tests): what each request writes.
    static var recordBytes: Int { MemoryLayout<Record>.stride }

    public init(capacity: Int) {
        let entries = BoundedRing<Record>(capacity: capacity)
        self.capacity = entries.capacity
        self.ring = Locked(Ring(entries: entries))
    }

    /// `idWords`: the request id's UUID words when the caller has them (the request path does), so the id
    /// is not parsed back from its text; they are trusted to be `entry.requestID`'s.
    public func record(_ entry: JournalEntry, idWords: (UInt64, UInt64)? = nil) {
        var r = Record(time: entry.time.milliseconds, micros: entry.micros, status: UInt16(clamping: entry.status))
        var id = entry.requestID
        var idText: String? = nil
        if let (hi, lo) = idWords ?? id.withUTF8({ CompactID.parseUUID($0) }) {
            (r.idHi, r.idLo) = (hi, lo)
        } else {
            r.flags = 1
            idText = id
        }
        // Six named texts, no array: an array of them cost a heap block a request. (Not reading `r`: it is
        // being written while this runs.)
        let idIsText = idText != nil
        func encode(into out: UnsafeMutableRawPointer, limit: Int) -> Int? {
            var o = 0
            guard Self.put(entry.method, out, &o, limit), Self.put(entry.path, out, &o, limit),
                  Self.put(entry.query, out, &o, limit), Self.put(entry.org, out, &o, limit),
                  Self.put(entry.user, out, &o, limit), !idIsText || Self.put(idText, out, &o, limit) else { return nil }
            return o
        }
        // Inline when it fits (one pass); else the exact size, then the block.
        let inline = withUnsafeMutableBytes(of: &r.inline) { $0.baseAddress.flatMap { encode(into: $0, limit: Record.inlineBytes) } }
        let need = inline ?? Self.encodedCount(entry.method) + Self.encodedCount(entry.path) + Self.encodedCount(entry.query)
            + Self.encodedCount(entry.org) + Self.encodedCount(entry.user) + (idIsText ? Self.encodedCount(idText) : 0)
        let fits = inline != nil
        let evicted = ring.withLock { ring -> Record? in
            if !fits {
                if ring.block.free < need { ring.block = TextBlock(capacity: max(TextBlock.size, need)) }
                r.block = ring.block
                r.offset = UInt32(ring.block.count)
                ring.block.append(need) { out in
                    let wrote = encode(into: out, limit: need)
                    assert(wrote == need, "encodedCount and put disagree")
                }
            }
            return ring.entries.append(r).evicted
        }
        _ = evicted
    }

    /// Entries oldest first, and how many were dropped since the last clear.
    public func snapshot() -> (entries: [JournalEntry], dropped: Int) {
        // A block's written bytes never change, and the records keep their blocks alive: read them unlocked.
        let (records, dropped) = ring.withLock { ($0.entries.inOrder, $0.entries.dropped) }
        return (records.map { r in
            var r = r
            let texts: [String?] = if let block = r.block {
                block.read(Int(r.offset)) { Self.decode($0, count: 5 + Int(r.flags & 1)) }
            } else {
                withUnsafeBytes(of: &r.inline) { $0.baseAddress.map { Self.decode($0, count: 5 + Int(r.flags & 1)) } ?? [] }
            }
            func text(_ k: Int) -> String? { k < texts.count ? texts[k] : nil }
            let id = r.flags & 1 == 1 ? text(5) ?? "" : uuidText(r.idHi, r.idLo)
            return JournalEntry(time: Timestamp(milliseconds: r.time), method: text(0) ?? "", path: text(1) ?? "",
                                query: text(2), status: Int(r.status), micros: r.micros, org: text(3), user: text(4),
                                requestID: id)
        }, dropped)
    }

    public func clear() {
        var old = Ring(entries: BoundedRing<Record>(capacity: capacity))
        ring.withLock { swap(&$0, &old) }
    }

    private static func encodedCount(_ text: String?) -> Int { text.map { encodedCount($0.utf8.count) } ?? 1 }

    /// The bytes a text of `n` bytes takes: its length, then the bytes.
    private static func encodedCount(_ n: Int) -> Int {
        n + (n + 1 < 0x80 ? 1 : n + 1 < 0x4000 ? 2 : n + 1 < 0x20_0000 ? 3 : n + 1 < 0x1000_0000 ? 4 : 5)
    }

    /// A text's length (LEB128: 0 for none, n + 1 for n bytes), then its bytes, at `out + o`, if they fit
    /// before `limit`; false (o unchanged past the last whole text) if not.
    private static func put(_ text: String?, _ out: UnsafeMutableRawPointer, _ o: inout Int, _ limit: Int) -> Bool {
        guard let text else {
            guard o < limit else { return false }
            out.storeBytes(of: 0, toByteOffset: o, as: UInt8.self)
            o += 1
            return true
        }
        return withUTF8Bytes(text) { u in
            var length = UInt64(u.count + 1)
            guard limit - o >= encodedCount(u.count) else { return false }
            repeat {
                out.storeBytes(of: UInt8(length & 0x7F) | (length >= 0x80 ? 0x80 : 0), toByteOffset: o, as: UInt8.self)
                o += 1
                length >>= 7
            } while length > 0
            if let base = u.baseAddress { (out + o).copyMemory(from: base, byteCount: u.count) }
            o += u.count
            return true
        }
    }

    private static func decode(_ from: UnsafeRawPointer, count: Int) -> [String?] {
        var i = 0
        var texts: [String?] = []
        for _ in 0..<count {
            var length = 0, shift = 0, b: UInt8
            repeat {
                b = from.load(fromByteOffset: i, as: UInt8.self)
                i += 1
                length |= Int(b & 0x7F) << shift
                shift += 7
            } while b & 0x80 != 0
            if length == 0 {
                texts.append(nil)
                continue
            }
            let bytes = UnsafeRawBufferPointer(start: from + i, count: length - 1)
            texts.append(String(decoding: bytes, as: UTF8.self))
            i += length - 1
        }
        return texts
    }
}

/// Append-only bytes shared by consecutive journal records whose texts did not fit inline; freed with the
/// last record that uses it. Written only under the journal's lock, and only past `count`: bytes already
/// handed out never change.
private final class TextBlock: @unchecked Sendable {
    static let size = 64 << 10
    private let bytes: UnsafeMutableRawPointer
    let capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { bytes.deallocate() }

    var free: Int { capacity - count }

    /// `write` fills the next `n` bytes (the caller made room).
    func append(_ n: Int, _ write: (UnsafeMutableRawPointer) -> Void) {
        write(bytes + count)
        count += n
    }

    func read<R>(_ offset: Int, _ body: (UnsafeRawPointer) -> R) -> R { body(bytes + offset) }
}
