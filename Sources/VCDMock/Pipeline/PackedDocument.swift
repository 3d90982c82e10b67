import Glibc
import VCDCore

/// A rendered org document packed for the render cache: at 10,000 orgs the cache held 1.1 KB per org
/// (14 MiB, the largest item after the model); packed, about 300 bytes. An org document is mostly markup,
/// media types, the href base and UUIDs, so each of those becomes a code: byte 0x01, then
/// 1...`words.count` for `words[k - 1]`, 0xFE for the document's href base, 0xFF for a lowercase UUID
/// whose 16 bytes follow, 0x00 for a literal 0x01. Any bytes pack and unpack to themselves.
/// Layout: `mark`, the unpacked length (4 bytes, little endian), the base's length (1 byte), the base, the codes.
enum PackedDocument {
    /// The first byte of a packed document; no XML document starts with it (the cache packs one that does).
    static let mark: UInt8 = 0x01

    /// What org documents repeat, longest first where one starts another.
    static let words: [[UInt8]] = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Org xmlns=\"http://www.vmware.com/vcloud/v1.5\" href=\"",
        "\" type=\"application/vnd.vmware.vcloud.org+xml\" id=\"urn:vcloud:org:",
        "\"><Link rel=\"down\" type=\"application/vnd.vmware.vcloud.",
        "\"/><Link rel=\"down\" type=\"application/vnd.vmware.vcloud.",
        "<Link rel=\"down\" type=\"application/vnd.vmware.vcloud.",
        "query.records+xml\" href=\"", "query?type=orgVdc&amp;format=records&amp;filter=org==",
        "query?type=catalog&amp;format=records&amp;filter=org==",
        "vdc+xml\" name=\"", "tasksList+xml\" href=\"", "catalog+xml\" name=\"", "orgNetwork+xml\" name=\"",
        "metadata+xml\" href=\"", "\"/><Description>", "</Description><FullName>", "\"/><FullName>", "</FullName></Org>",
        "\" href=\"", "\" name=\"", "\"/>", "vdc/", "tasksList/", "catalog/", "network/", "org/", "/metadata",
        "application/vnd.vmware.vcloud.",
    ].map { Array($0.utf8) }

    private static let escape: UInt8 = 0x01, literal: UInt8 = 0x00, base: UInt8 = 0xFE, uuid: UInt8 = 0xFF

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
            out.append(contentsOf: d[base])
            var i = 0
            next: while i < d.count {
                let b = d[i]
                if b == escape {
                    out.append(escape)
                    out.append(literal)
                    i += 1
                    continue
                }
                if !base.isEmpty && starts(d, at: i, with: baseBytes) {
                    out.append(escape)
                    out.append(Self.base)
                    i += base.count
                    continue
                }
                if let (hi, lo) = uuidAt(d, i) {
                    out.append(escape)
                    out.append(uuid)
                    withUnsafeBytes(of: hi.bigEndian) { out.append(contentsOf: $0) }
                    withUnsafeBytes(of: lo.bigEndian) { out.append(contentsOf: $0) }
                    i += 36
                    continue
                }
                for k in byFirstByte[Int(b)] where words[k].withUnsafeBufferPointer({ starts(d, at: i, with: $0) }) {
                    out.append(escape)
                    out.append(UInt8(k + 1))
                    i += words[k].count
                    continue next
                }
                out.append(b)
                i += 1
            }
            return out
        }
    }

    static func unpack(_ packed: [UInt8]) -> [UInt8] {
        packed.withUnsafeBufferPointer { p -> [UInt8] in
            guard p.count >= 6, let start = p.baseAddress else { return [] }
            let n = Int(p[1]) | Int(p[2]) << 8 | Int(p[3]) << 16 | Int(p[4]) << 24
            let baseCount = Int(p[5])
            return [UInt8](unsafeUninitializedCapacity: n) { out, written in
                guard let o0 = out.baseAddress else { return }
                var o = o0, i = 6 + baseCount
                let end = o0 + n
                func put(_ from: UnsafePointer<UInt8>, _ count: Int) {
                    guard count <= end - o else { return }
                    o.update(from: from, count: count)
                    o += count
                }
                while i < p.count {
                    // The literal run up to the next code, found by memchr (vectorized), copied whole.
                    let run = memchr(start + i, Int32(escape), p.count - i).map { UnsafeRawPointer(start + i).distance(to: $0) }
                    put(start + i, run ?? p.count - i)
                    guard let run, i + run + 1 < p.count else { break }
                    i += run + 2
                    switch p[i - 1] {
                    case literal: put(start + i - 2, 1)
                    case base: put(start + 6, baseCount)
                    case uuid:
                        guard i + 16 <= p.count, end - o >= 36 else { i = p.count; break }
                        var hi: UInt64 = 0, lo: UInt64 = 0
                        for j in 0..<8 { hi = hi << 8 | UInt64(p[i + j]); lo = lo << 8 | UInt64(p[i + 8 + j]) }
                        writeUUID(hi, lo, into: o)
                        o += 36
                        i += 16
                    case let k:
                        let w = Int(k) - 1
                        if w < words.count { words[w].withUnsafeBufferPointer { if let a = $0.baseAddress { put(a, $0.count) } } }
                    }
                }
                written = o - o0
            }
        }
    }

    /// The href base: from the first `href="` to the end of its first `/api/` (at most 255 bytes), or none.
    private static func hrefBase(_ d: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let href: StaticString = "href=\"", api: StaticString = "/api/"
        let hrefBytes = UnsafeBufferPointer(start: href.utf8Start, count: href.utf8CodeUnitCount)
        let apiBytes = UnsafeBufferPointer(start: api.utf8Start, count: api.utf8CodeUnitCount)
        var i = 0
        while i < d.count, !starts(d, at: i, with: hrefBytes) { i += 1 }
        let from = i + hrefBytes.count
        var j = from
        while j < d.count, j - from < 250, d[j] != UInt8(ascii: "\""), !starts(d, at: j, with: apiBytes) { j += 1 }
        guard j < d.count, starts(d, at: j, with: apiBytes) else { return 0..<0 }
        return from..<(j + apiBytes.count)
    }

    private static func starts(_ d: UnsafeBufferPointer<UInt8>, at i: Int, with w: UnsafeBufferPointer<UInt8>) -> Bool {
        guard d.count - i >= w.count else { return false }
        for k in 0 ..< w.count where d[i + k] != w[k] { return false }
        return true
    }

    /// A lowercase UUID at `i` as its two words (what `writeUUID` prints back the same).
    private static func uuidAt(_ d: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt64, UInt64)? {
        guard d.count - i >= 36 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for k in 0..<36 {
            let b = d[i + k]
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard b == UInt8(ascii: "-") else { return nil }
                continue
            }
            let v: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = b &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = b &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(v) } else { words.1 = words.1 << 4 | UInt64(v) }
            digits += 1
        }
        return words
    }
}
