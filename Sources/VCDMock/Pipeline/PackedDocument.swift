import VCDCore

/// A rendered org document packed for the render cache: at 10,000 orgs the cache held 1.1 KB per org
/// (14 MiB, the largest item after the model); packed, about 210 bytes. An org document is mostly markup,
/// media types, the href base and UUIDs it repeats, so each of those becomes a code. The packed form is a
/// list of tokens, each one byte and what it needs: `k` below 0x40 for `words[k]`; 0x40 + n - 1 and n bytes
/// (n up to 128) for a literal run; 0xFE for the document's href base; 0xFD and 16 bytes for a lowercase
/// UUID (its 36 characters: a random GET at 10,000 orgs misses the L2 once per line of its document); 0xFF
/// and two bytes (little endian) for the 36 bytes at that offset of the unpacked document (a UUID seen
/// before). Any bytes pack and unpack to themselves. Unpacking is one copy per token and no scanning; a
/// token is dispatched once (a literal run before every code, mostly empty, cost an org document 28 more
/// trips through the loop).
/// Layout: `mark`, the unpacked length (4 bytes, little endian), the base's length (1 byte), the base, the tokens.
enum PackedDocument {
    /// The first byte of a packed document; no XML document starts with it (the cache packs one that does).
    static let mark: UInt8 = 0x01

    /// What org documents repeat (OrgDocument.org); where one starts another, the longest is taken.
    static let words: [[UInt8]] = {
        let link = "<Link rel=\"down\" type=\"application/vnd.vmware.vcloud."
        var all = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Org xmlns=\"http://www.vmware.com/vcloud/v1.5\" href=\"",
            "\" type=\"application/vnd.vmware.vcloud.org+xml\" id=\"urn:vcloud:org:",
            "query?type=orgVdc&amp;format=records&amp;filter=org==", "query?type=catalog&amp;format=records&amp;filter=org==",
            "\"/><Description>", "</Description><FullName>", "\"/><FullName>", "</FullName></Org>", "\" href=\"", "\" name=\"",
            "\"/>", "vdc/", "tasksList/", "catalog/", "network/", "org/", "/metadata", link, "application/vnd.vmware.vcloud.",
        ]
        for type in ["vdc", "tasksList", "catalog", "orgNetwork", "metadata", "query.records"] {
            for before in ["\">", "\"/>"] { for after in ["name", "href"] { all.append(before + link + type + "+xml\" " + after + "=\"") } }
        }
        precondition(all.count <= Int(literal), "a word's token is its index, below the literal runs'")
        return all.map { Array($0.utf8) }
    }()

    private static let uuid: UInt8 = 0xFD, base: UInt8 = 0xFE, earlier: UInt8 = 0xFF
    /// Room an unpacked document needs past its end: `copy` writes in 16-byte steps.
    static let spare = 16
    /// Tokens `literal...literal + 127` are runs of 1...128 bytes; words take the tokens below.
    private static let literal: UInt8 = 0x40, longestRun = 128

    /// The words end to end, and where each starts (one more entry: the end), for unpacking. 16 bytes of
    /// padding: `copy` reads in 16-byte steps.
    private static let flat: [UInt8] = words.flatMap { $0 } + [UInt8](repeating: 0, count: 16)
    private static let starts: [Int] = words.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }

    /// For each first byte, the indexes of the words that start with it, longest first.
    private static let byFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (i, w) in words.enumerated() { table[Int(w[0])].append(i) }
        return table.map { $0.sorted { words[$0].count > words[$1].count } }
    }()

    static func pack(_ doc: [UInt8]) -> [UInt8] {
        doc.withUnsafeBufferPointer { d in
            let base = hrefBase(d)
            let baseBytes = UnsafeBufferPointer(rebasing: d[base])
            var out: [UInt8] = []
            out.reserveCapacity(d.count / 2)
            out.append(mark)
            withUnsafeBytes(of: UInt32(d.count).littleEndian) { out.append(contentsOf: $0) }
            out.append(UInt8(base.count))
            out.append(contentsOf: baseBytes)
            // The literal run being written: where its token is, or nil.
            var run: Int? = nil
            // UUIDs met so far and where (offsets up to 65,535 can be referred to).
            var seen: [(hi: UInt64, lo: UInt64, at: Int)] = []
            var i = 0
            while i < d.count {
                if !base.isEmpty && matches(d, at: i, baseBytes) {
                    out.append(Self.base)
                    (run, i) = (nil, i + base.count)
                } else if let (hi, lo) = uuidAt(d, i) {
                    // Only an earlier place that ends before this one (the `packed` fuzzer found a UUID that
                    // started again inside itself when the first one was written as literal bytes).
                    if let first = seen.first(where: { $0.hi == hi && $0.lo == lo && $0.at + 36 <= i }) {
                        out.append(earlier)
                        out.append(UInt8(first.at & 0xFF))
                        out.append(UInt8(first.at >> 8))
                    } else {
                        if i <= 0xFFFF { seen.append((hi, lo, i)) }
                        out.append(uuid)
                        withUnsafeBytes(of: hi.bigEndian) { out.append(contentsOf: $0) }
                        withUnsafeBytes(of: lo.bigEndian) { out.append(contentsOf: $0) }
                    }
                    (run, i) = (nil, i + 36)
                } else if let k = byFirstByte[Int(d[i])].first(where: { k in words[k].withUnsafeBufferPointer { matches(d, at: i, $0) } }) {
                    out.append(UInt8(k))
                    (run, i) = (nil, i + words[k].count)
                } else {
                    if let r = run, out[r] < literal + UInt8(longestRun - 1) {
                        out[r] += 1
                    } else {
                        run = out.count
                        out.append(literal)
                    }
                    out.append(d[i])
                    i += 1
                }
            }
            return out
        }
    }

    /// The unpacked document.
    static func unpack(_ packed: [UInt8]) -> [UInt8] {
        let n = unpackedCount(packed)
        return [UInt8](unsafeUninitializedCapacity: n + spare) { out, written in written = unpack(packed, into: out) }
    }

    /// The length the header promises: 0 for what is not a packed document (no byte unpacks to more than
    /// 255, the base's code at most, so a larger length cannot be one).
    static func unpackedCount(_ packed: [UInt8]) -> Int {
        guard packed.count >= 6 else { return 0 }
        let n = Int(packed[1]) | Int(packed[2]) << 8 | Int(packed[3]) << 16 | Int(packed[4]) << 24
        return n <= packed.count * 255 ? n : 0
    }

    /// Unpacks into `out`, which has room for `unpackedCount` + `spare` bytes: runs and words are copied in 16-byte
    /// steps inline (a `memcpy` call per record, ~57 a document, was most of the unpack's ~6k instructions).
    /// Returns the bytes written (fewer than promised only for a damaged document).
    static func unpack(_ packed: [UInt8], into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let n = unpackedCount(packed)
        guard n > 0, out.count >= n + spare else { return 0 }
        return packed.withUnsafeBufferPointer { p -> Int in
            guard let s = p.baseAddress, let o0 = out.baseAddress else { return 0 }
            let baseCount = Int(p[5])
            return flat.withUnsafeBufferPointer { f in
                starts.withUnsafeBufferPointer { ws in
                    guard let fp = f.baseAddress else { return 0 }
                    var o = 0, i = 6 + baseCount
                    let end = p.count
                    while i < end {
                        let t = s[i]
                        i &+= 1
                        if t < literal {
                            guard Int(t) &+ 1 < ws.count else { break }
                            let from = ws[Int(t)], count = ws[Int(t) &+ 1] &- from
                            guard count <= n &- o else { break }
                            copy(o0 + o, fp + from, count, sourceSlack: 16)
                            o &+= count
                        } else if t < uuid {
                            guard t < literal &+ UInt8(longestRun) else { break }
                            let count = Int(t &- literal) &+ 1
                            guard count <= end &- i, count <= n &- o else { break }
                            copy(o0 + o, s + i, count, sourceSlack: end &- i &- count)
                            o &+= count
                            i &+= count
                        } else if t == base {
                            guard baseCount <= n &- o else { break }
                            copy(o0 + o, s + 6, baseCount, sourceSlack: end &- 6 &- baseCount)
                            o &+= baseCount
                        } else if t == uuid {
                            guard 16 <= end &- i, 36 <= n &- o else { break }
                            writeUUID(s + i, to: o0 + o)
                            i &+= 16
                            o &+= 36
                        } else {
                            guard 2 <= end &- i else { break }
                            let at = Int(s[i]) | Int(s[i &+ 1]) << 8
                            i &+= 2
                            guard at &+ 36 <= o, 36 <= n &- o else { break }
                            copy36(o0 + o, UnsafePointer(o0 + at))
                            o &+= 36
                        }
                    }
                    return o
                }
            }
        }
    }

    /// `count` bytes in 16-byte steps when the source has 15 readable bytes past them (`sourceSlack`), else
    /// one `initialize`. May write up to 15 bytes past `count`: `unpack`'s output has 16 spare.
    @inline(__always)
    private static func copy(_ to: UnsafeMutablePointer<UInt8>, _ from: UnsafePointer<UInt8>, _ count: Int, sourceSlack: Int) {
        guard sourceSlack >= 15 else { return to.initialize(from: from, count: count) }
        let t = UnsafeMutableRawPointer(to), f = UnsafeRawPointer(from)
        var k = 0
        while k < count {
            t.storeBytes(of: f.loadUnaligned(fromByteOffset: k, as: SIMD16<UInt8>.self), toByteOffset: k, as: SIMD16<UInt8>.self)
            k += 16
        }
    }

    /// A UUID met before, from earlier in the output: exactly 36 bytes (the source may end where `to` starts).
    @inline(__always)
    private static func copy36(_ to: UnsafeMutablePointer<UInt8>, _ from: UnsafePointer<UInt8>) {
        let f = UnsafeRawPointer(from), t = UnsafeMutableRawPointer(to)
        let a = f.loadUnaligned(as: SIMD16<UInt8>.self), b = f.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self)
        let c = f.loadUnaligned(fromByteOffset: 32, as: UInt32.self)
        t.storeBytes(of: a, as: SIMD16<UInt8>.self)
        t.storeBytes(of: b, toByteOffset: 16, as: SIMD16<UInt8>.self)
        t.storeBytes(of: c, toByteOffset: 32, as: UInt32.self)
    }

    /// 16 bytes (two big-endian words) as a lowercase UUID: 36 characters at `out`.
    private static func writeUUID(_ bytes: UnsafePointer<UInt8>, to out: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeRawPointer(bytes)
        VCDCore.writeUUID(UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                          UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)), into: out)
    }

    /// The href base: from the first `href="` to the end of its first `/api/` (at most 255 bytes), or none.
    private static func hrefBase(_ d: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let href: StaticString = "href=\"", api: StaticString = "/api/"
        let hrefBytes = UnsafeBufferPointer(start: href.utf8Start, count: href.utf8CodeUnitCount)
        let apiBytes = UnsafeBufferPointer(start: api.utf8Start, count: api.utf8CodeUnitCount)
        var i = 0
        while i < d.count, !matches(d, at: i, hrefBytes) { i += 1 }
        let from = i + hrefBytes.count
        var j = from
        while j < d.count, j - from < 250, d[j] != UInt8(ascii: "\""), !matches(d, at: j, apiBytes) { j += 1 }
        guard j < d.count, matches(d, at: j, apiBytes) else { return 0..<0 }
        return from..<(j + apiBytes.count)
    }

    private static func matches(_ d: UnsafeBufferPointer<UInt8>, at i: Int, _ w: UnsafeBufferPointer<UInt8>) -> Bool {
        guard d.count - i >= w.count else { return false }
        for k in 0 ..< w.count where d[i + k] != w[k] { return false }
        return true
    }

    /// A lowercase UUID at `i` as its two words (what `writeUUID` prints back the same).
    private static func uuidAt(_ d: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt64, UInt64)? {
        guard d.count - i >= 36 else { return nil }
        return CompactID.parseUUID(UnsafeBufferPointer(rebasing: d[i ..< i + 36]))
    }
}
