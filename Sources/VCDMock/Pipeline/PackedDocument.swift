import VCDCore

/// A rendered org document packed for the render cache: at 10,000 orgs the cache held 1.1 KB per org
/// (14 MiB, the largest item after the model); packed, about 230 bytes. An org document is mostly markup,
/// media types, the href base and UUIDs it repeats, so each of those becomes a code. The packed form is
/// records: a literal run (its length, 0...255, then its bytes), then a code: 1...`words.count` for
/// `words[k - 1]`, 0xFE for the document's href base, 0xFD and 16 bytes for a lowercase UUID (its 36
/// characters: a random GET at 10,000 orgs misses the L2 once per line of its document), 0xFF and two bytes
/// (little endian) for the 36 bytes at that offset of the unpacked document (a UUID seen before), 0x00 for
/// none. Any bytes pack and unpack to themselves. Unpacking is two copies per record and no scanning.
/// Layout: `mark`, the unpacked length (4 bytes, little endian), the base's length (1 byte), the base, the records.
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
        return all.map { Array($0.utf8) }
    }()

    private static let none: UInt8 = 0x00, uuid: UInt8 = 0xFD, base: UInt8 = 0xFE, earlier: UInt8 = 0xFF

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
            // The record being written: where its run's length goes.
            var run = out.count
            out.append(0)
            // UUIDs met so far and where (offsets up to 65,535 can be referred to).
            var seen: [(hi: UInt64, lo: UInt64, at: Int)] = []
            var i = 0
            while i < d.count {
                var c = none, skip = 0
                if out[run] == 255 {
                    skip = 0
                } else if !base.isEmpty && matches(d, at: i, baseBytes) {
                    (c, skip) = (Self.base, base.count)
                } else if let (hi, lo) = uuidAt(d, i) {
                    // Only an earlier place that ends before this one (the `packed` fuzzer found a UUID that
                    // started again inside itself when the first one was written as literal bytes).
                    if let first = seen.first(where: { $0.hi == hi && $0.lo == lo && $0.at + 36 <= i }) {
                        out.append(earlier)
                        out.append(UInt8(first.at & 0xFF))
                        out.append(UInt8(first.at >> 8))
                        run = out.count
                        out.append(0)
                        i += 36
                        continue
                    }
                    if i <= 0xFFFF { seen.append((hi, lo, i)) }
                    out.append(uuid)
                    withUnsafeBytes(of: hi.bigEndian) { out.append(contentsOf: $0) }
                    withUnsafeBytes(of: lo.bigEndian) { out.append(contentsOf: $0) }
                    run = out.count
                    out.append(0)
                    i += 36
                    continue
                } else if let k = byFirstByte[Int(d[i])].first(where: { k in words[k].withUnsafeBufferPointer { matches(d, at: i, $0) } }) {
                    (c, skip) = (UInt8(k + 1), words[k].count)
                }
                if skip > 0 || out[run] == 255 {
                    out.append(c)
                    run = out.count
                    out.append(0)
                    i += skip
                    continue
                }
                out.append(d[i])
                out[run] += 1
                i += 1
            }
            return out
        }
    }

    /// Unpacks into an array with 16 bytes of spare capacity, so runs and words are copied in 16-byte steps
    /// inline (a `memcpy` call per record, ~57 a document, was most of the unpack's ~6k instructions).
    static func unpack(_ packed: [UInt8]) -> [UInt8] {
        packed.withUnsafeBufferPointer { p -> [UInt8] in
            guard p.count >= 6, let s = p.baseAddress else { return [] }
            let n = Int(p[1]) | Int(p[2]) << 8 | Int(p[3]) << 16 | Int(p[4]) << 24
            let baseCount = Int(p[5])
            // No byte unpacks to more than 255 (the base's code at most): a larger length is not a packed document.
            guard n <= p.count * 255 else { return [] }
            return flat.withUnsafeBufferPointer { f in
                starts.withUnsafeBufferPointer { ws in
                    [UInt8](unsafeUninitializedCapacity: n + 16) { out, written in
                        written = 0
                        guard let o0 = out.baseAddress, let fp = f.baseAddress else { return }
                        var o = 0, i = 6 + baseCount
                        let end = p.count
                        while i < end {
                            // A record: a literal run (its length first), then one code.
                            let run = Int(s[i])
                            i += 1
                            guard run <= end - i, run <= n - o else { break }
                            copy(o0 + o, s + i, run, sourceSlack: end - i - run)
                            o += run
                            i += run
                            guard i < end else { break }
                            let c = s[i]
                            i += 1
                            switch c {
                            case none: continue
                            case base:
                                guard baseCount <= n - o else { i = end; continue }
                                copy(o0 + o, s + 6, baseCount, sourceSlack: end - 6 - baseCount)
                                o += baseCount
                            case uuid:
                                guard i + 16 <= end, 36 <= n - o else { i = end; continue }
                                writeUUID(s + i, to: o0 + o)
                                i += 16
                                o += 36
                            case earlier:
                                guard i + 2 <= end else { i = end; continue }
                                let at = Int(s[i]) | Int(s[i + 1]) << 8
                                i += 2
                                guard at + 36 <= o, 36 <= n - o else { i = end; continue }
                                copy36(o0 + o, UnsafePointer(o0 + at))
                                o += 36
                            default:
                                let k = Int(c)
                                guard k < ws.count else { i = end; continue }
                                let count = ws[k] - ws[k - 1]
                                guard count <= n - o else { i = end; continue }
                                copy(o0 + o, fp + ws[k - 1], count, sourceSlack: 16)
                                o += count
                            }
                        }
                        written = o
                    }
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
