#if canImport(Glibc)
import Glibc
#endif
import VCDCore
import VCDHTTP

/// Header parsing shared by every route: Accept version, session token, Content-Type.
enum Negotiation {
    /// The `version=` parameter of Accept when it names an offered version. Runs on every request,
    /// so it scans bytes instead of splitting strings.
    static func version(_ accept: String?, offered: [String]) -> String? {
        guard let accept else { return nil }
        return withUTF8Bytes(accept) { b -> String? in
            guard let p = b.baseAddress else { return nil }
            let n = b.count
            var i = 0
            while i + 7 <= n {
                // Find "version" (any case) followed by optional spaces and "=". Most bytes are not a v.
                guard p[i] | 0x20 == UInt8(ascii: "v"), isVersionKey(p + i) else { i += 1; continue }
                var k = i + 7
                while k < n, p[k] == 0x20 { k += 1 }
                guard k < n, p[k] == UInt8(ascii: "=") else { i += 1; continue }
                k += 1
                while k < n, p[k] == 0x20 || p[k] == UInt8(ascii: "\"") { k += 1 }
                var end = k
                while end < n, p[end] != UInt8(ascii: ";"), p[end] != UInt8(ascii: ","),
                      p[end] != 0x20, p[end] != UInt8(ascii: "\"") { end += 1 }
                // Lengths first, then the bytes (the generic `elementsEqual` was ~150 instructions a version).
                for version in offered where version.utf8.count == end - k {
                    let same = version.utf8.withContiguousStorageIfAvailable { v in
                        v.baseAddress.map { memcmp($0, p + k, end - k) == 0 } ?? false
                    }
                    if same ?? version.utf8.elementsEqual(UnsafeBufferPointer(start: p + k, count: end - k)) { return version }
                }
                return nil
            }
            return nil
        }
    }

    /// "version" in any case at `p` (seven readable bytes).
    private static func isVersionKey(_ p: UnsafePointer<UInt8>) -> Bool {
        let key: StaticString = "version"
        for j in 0..<7 where p[j] | 0x20 != key.utf8Start[j] { return false }
        return true
    }

    /// `x-vcloud-authorization`, `X-VMWARE-VCLOUD-ACCESS-TOKEN` or `Authorization: Bearer` (any case).
    static func token(_ request: HTTPRequest) -> String? {
        if let t = request.header("x-vcloud-authorization"), !t.isEmpty { return t }
        if let t = request.header("X-VMWARE-VCLOUD-ACCESS-TOKEN"), !t.isEmpty { return t }
        if let auth = request.header("Authorization") {
            let parts = auth.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1].trimmed }
        }
        return nil
    }

    /// Media types sent without `;version=` (not vCloud types: the control API's JSON and YAML).
    static func unversioned(_ type: String) -> Bool {
        // Byte 12 first: every reply's type goes through here, and `hasPrefix` twice was ~200 instructions.
        return withUTF8Bytes(type) { b in
            guard b.count >= 16, b[12] == UInt8(ascii: "j") || b[12] == UInt8(ascii: "y") else { return false }
            let head = UnsafeBufferPointer(rebasing: b[..<16])
            return head.elementsEqual("application/json".utf8) || head.elementsEqual("application/yaml".utf8)
        }
    }

    /// The media type (before any `;`) must be one the route takes.
    static func checkContentType(_ header: String?, allowed: [String], method: String, path: String) throws(APIError) {
        if let header, allowed.contains(where: { mediaType(of: header, is: $0) }) { return }
        let type = header.map { $0.split(separator: ";").first.map { $0.trimmed.lowercased() } ?? "" } ?? ""
        let sent = type.isEmpty ? "no Content-Type" : "Content-Type \(type)"
        throw .unsupportedMediaType("\(method) \(path) takes \(allowed.joined(separator: " or ")), not \(sent).")
    }

    /// Whether a Content-Type's media type (before any `;`, blanks trimmed) is `type`, ignoring ASCII case.
    /// Runs on every request with a body, so it compares bytes instead of splitting and lowercasing.
    static func mediaType(of header: String, is type: String) -> Bool {
        withUTF8Bytes(header) { h in
            withUTF8Bytes(type) { t in
                func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
                func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
                var start = 0
                while start < h.count, blank(h[start]) { start += 1 }
                var end = start
                while end < h.count, h[end] != UInt8(ascii: ";") { end += 1 }
                while end > start, blank(h[end - 1]) { end -= 1 }
                guard end - start == t.count else { return false }
                for i in 0..<t.count where lower(h[start + i]) != lower(t[i]) { return false }
                return true
            }
        }
    }
}
