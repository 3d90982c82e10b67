import VCDCore
import VCDHTTP
import VCDXML

enum QueryFormat: String, Sendable, CaseIterable {
    case records, idrecords, references

    var mediaType: String {
        switch self {
        case .records: MediaType.queryRecords
        case .idrecords: MediaType.queryIDRecords
        case .references: MediaType.queryReferences
        }
    }
}

/// The parameters of `GET /api/query` (reference §7.3), validated. Unknown parameters are ignored, as
/// clients add their own (§1.3).
struct QueryRequest: Sendable, Equatable {
    static let maxPageSize = 128

    var type: String?
    var format: QueryFormat = .records
    var page = 1
    var pageSize = 25
    var sortAttribute: String?
    var sortDescending = false
    var fields: [String]?
    /// Decoded once from the URL; with `filterEncoded` its values are still percent-encoded.
    var filter: String?
    var filterEncoded = false
    var offset = 0
    var links = false

    static func parse(_ rawQuery: String?) throws(APIError) -> QueryRequest {
        var q = QueryRequest()
        var sortAsc: String?
        var sortDesc: String?
        for (key, value) in pairs(rawQuery) {
            switch key {
            case "type": q.type = value
            case "format":
                guard let f = QueryFormat(rawValue: value) else {
                    throw .badRequest("Query format \"\(value)\" is not known; use records, idrecords or references.")
                }
                q.format = f
            case "page": q.page = try integer(key, value, minimum: 1)
            case "pageSize":
                q.pageSize = try integer(key, value, minimum: 1)
                guard q.pageSize <= maxPageSize else {
                    throw .badRequest("pageSize \(q.pageSize) is larger than the maximum, \(maxPageSize).")
                }
            case "offset": q.offset = try integer(key, value, minimum: 0)
            case "sortAsc": sortAsc = value
            case "sortDesc": sortDesc = value
            case "fields": q.fields = value.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
            case "filter": q.filter = value
            case "filterEncoded": q.filterEncoded = try boolean(key, value)
            case "links": q.links = try boolean(key, value)
            default: continue
            }
        }
        if sortAsc != nil && sortDesc != nil {
            throw .badRequest("Give either sortAsc or sortDesc, not both.")
        }
        if let a = sortAsc { q.sortAttribute = a } else if let d = sortDesc { q.sortAttribute = d; q.sortDescending = true }
        if let s = q.sortAttribute, s.isEmpty { throw .badRequest("sortAsc/sortDesc needs an attribute name.") }
        if let t = q.type, t.isEmpty { throw .badRequest("The type parameter is empty; name a query type, e.g. type=task.") }
        return q
    }

    /// `key=value` pairs, percent-decoded (`+` is a space, as in every form-encoded query).
    static func pairs(_ raw: String?) -> [(String, String)] {
        guard let raw, !raw.isEmpty else { return [] }
        return raw.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = PercentDecoding.decode(String(parts[0]), plusIsSpace: true)
            return (key, parts.count > 1 ? PercentDecoding.decode(String(parts[1]), plusIsSpace: true) : "")
        }
    }

    private static func integer(_ name: String, _ value: String, minimum: Int) throws(APIError) -> Int {
        guard let n = Int(value), n >= minimum else {
            throw .badRequest("\(name)=\(value) is not valid: it must be a whole number of at least \(minimum).")
        }
        return n
    }

    private static func boolean(_ name: String, _ value: String) throws(APIError) -> Bool {
        switch value.lowercased() {
        case "true": return true
        case "false", "": return false
        default: throw .badRequest("\(name)=\(value) is not valid: use true or false.")
        }
    }

    /// The href of this query at another page or in another format; every parameter it was asked with
    /// is kept, so following `nextPage` walks the same result set.
    func href(_ hrefs: Hrefs, type name: String, page: Int, format: QueryFormat) -> String {
        var parts = ["type=" + Self.encode(name), "page=\(page)", "pageSize=\(pageSize)", "format=" + format.rawValue]
        if let filter {
            parts.append("filter=" + Self.encode(filter))
            if filterEncoded { parts.append("filterEncoded=true") }
        }
        if let sortAttribute { parts.append((sortDescending ? "sortDesc=" : "sortAsc=") + Self.encode(sortAttribute)) }
        if let fields { parts.append("fields=" + Self.encode(fields.joined(separator: ","))) }
        if offset > 0 { parts.append("offset=\(offset)") }
        if links { parts.append("links=true") }
        return hrefs.api("query") + "?" + parts.joined(separator: "&")
    }

    /// Percent-encodes all but unreserved characters and the filter punctuation that reads better plain.
    static func encode(_ value: String) -> String {
        var out = ""
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "!"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}
