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
/// A fixed ring under a short lock: recording is one slot write plus a copy of the request's own texts
/// (path, query, request id) into a shared 64 KB block, and the evicted entry is released after the
/// lock is let go. The texts are copied because keeping each request's strings pinned thousands of small
/// heap blocks spread over everything else the requests allocated: at 10,000 orgs, 18 MiB freed by
/// `POST /mock/reset` could not go back to the system around them.
public final class RequestJournal: Sendable {
    public let capacity: Int
    private let ring: Locked<Ring>

    private struct Ring {
        var entries: BoundedRing<Record>
        var block = TextBlock(capacity: TextBlock.size)
    }

    /// An entry with its per-request texts in a `TextBlock`; org and user are the model's own strings.
    private struct Record: Sendable {
        let time: Timestamp
        let method: String
        let status: Int
        let micros: UInt64
        let org: String?
        let user: String?
        let block: TextBlock
        let offset: Int
        let pathCount: Int
        /// -1: no query.
        let queryCount: Int
        let idCount: Int
    }

    public init(capacity: Int) {
        let entries = BoundedRing<Record>(capacity: capacity)
        self.capacity = entries.capacity
        self.ring = Locked(Ring(entries: entries))
    }

    public func record(_ entry: JournalEntry) {
        let evicted = ring.withLock { r -> Record? in
            let need = entry.path.utf8.count + (entry.query?.utf8.count ?? 0) + entry.requestID.utf8.count
            if r.block.free < need { r.block = TextBlock(capacity: max(TextBlock.size, need)) }
            let offset = r.block.count
            let pathCount = r.block.append(entry.path)
            let queryCount = entry.query.map { r.block.append($0) } ?? -1
            let idCount = r.block.append(entry.requestID)
            return r.entries.append(Record(time: entry.time, method: entry.method, status: entry.status, micros: entry.micros,
                                           org: entry.org, user: entry.user, block: r.block, offset: offset,
                                           pathCount: pathCount, queryCount: queryCount, idCount: idCount)).evicted
        }
        _ = evicted
    }

    /// Entries oldest first, and how many were dropped since the last clear.
    public func snapshot() -> (entries: [JournalEntry], dropped: Int) {
        // A block's written bytes never change, and the records keep their blocks alive: read them unlocked.
        let (records, dropped) = ring.withLock { ($0.entries.inOrder, $0.entries.dropped) }
        return (records.map { r in
            let query = r.queryCount < 0 ? nil : r.block.text(r.offset + r.pathCount, r.queryCount)
            return JournalEntry(time: r.time, method: r.method, path: r.block.text(r.offset, r.pathCount), query: query,
                                status: r.status, micros: r.micros, org: r.org, user: r.user,
                                requestID: r.block.text(r.offset + r.pathCount + max(0, r.queryCount), r.idCount))
        }, dropped)
    }

    public func clear() {
        var old = Ring(entries: BoundedRing<Record>(capacity: capacity))
        ring.withLock { swap(&$0, &old) }
    }
}

/// Append-only bytes shared by consecutive journal records; freed with the last record that uses it.
/// Written only under the journal's lock, and only past `count`: bytes already handed out never change.
private final class TextBlock: @unchecked Sendable {
    static let size = 64 << 10
    private let bytes: UnsafeMutablePointer<UInt8>
    let capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        bytes = .allocate(capacity: capacity)
    }

    deinit { bytes.deallocate() }

    var free: Int { capacity - count }

    /// Copies `text` in (the caller made room); returns its length in bytes.
    func append(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { u in
            if let base = u.baseAddress { (bytes + count).initialize(from: base, count: u.count) }
            count += u.count
            return u.count
        }
    }

    func text(_ offset: Int, _ length: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + offset, count: length), as: UTF8.self)
    }
}
