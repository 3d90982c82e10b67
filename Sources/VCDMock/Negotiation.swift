import VCDHTTP

/// Header parsing shared by every route: Accept version, session token, Content-Type.
enum Negotiation {
    /// The `version=` parameter of Accept when it names an offered version.
    static func version(_ accept: String?, offered: [String]) -> String? {
        guard let accept else { return nil }
        for part in accept.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingSpaces.lowercased() == "version" else { continue }
            var value = kv[1].trimmingSpaces
            if let comma = value.firstIndex(of: ",") { value = String(value[..<comma]).trimmingSpaces }
            value = value.filter { $0 != "\"" }
            return offered.contains(value) ? value : nil
        }
        return nil
    }

    /// `x-vcloud-authorization`, `X-VMWARE-VCLOUD-ACCESS-TOKEN` or `Authorization: Bearer` (any case).
    static func token(_ request: HTTPRequest) -> String? {
        if let t = request.header("x-vcloud-authorization"), !t.isEmpty { return t }
        if let t = request.header("X-VMWARE-VCLOUD-ACCESS-TOKEN"), !t.isEmpty { return t }
        if let auth = request.header("Authorization") {
            let parts = auth.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1].trimmingSpaces }
        }
        return nil
    }

    /// The media type (before any `;`) must be one the route takes.
    static func checkContentType(_ header: String?, allowed: [String], method: String, path: String) throws(APIError) {
        let type = header.map { $0.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? "" } ?? ""
        guard allowed.contains(where: { $0.lowercased() == type }) else {
            let sent = type.isEmpty ? "no Content-Type" : "Content-Type \(type)"
            throw .unsupportedMediaType("\(method) \(path) takes \(allowed.joined(separator: " or ")), not \(sent).")
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
