import VCDCore

/// `Metadata` and `MetadataValue` (reference §8): what the caller may see, with the links they may use.
public enum MetadataDocument {
    public static func ownerType(_ t: MetadataTarget, admin: Bool) -> String {
        switch t {
        case .org: admin ? MediaType.adminOrg : MediaType.org
        case .vdc: MediaType.vdc
        case .catalog: admin ? MediaType.adminCatalog : MediaType.catalog
        case .user: MediaType.user
        case .task: MediaType.task
        }
    }

    public static func metadata(_ v: MetadataView, admin: Bool, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        let href = hrefs.metadata(v.target, admin: admin)
        w.root("Metadata")
        w.attribute("xmlns:xsi", Namespace.xsi)
        w.attribute("href", href)
        w.attribute("type", MediaType.metadata)
        w.link(rel: "up", type: ownerType(v.target, admin: admin), href: hrefs.owner(v.target, admin: admin))
        if v.writable { w.link(rel: "add", type: MediaType.metadata, href: href) }
        for entry in v.entries {
            w.start("MetadataEntry")
            if v.canWrite(entry) {
                w.link(rel: "edit", type: MediaType.metadataValue, href: valueHref(v.target, entry, admin: admin, hrefs: hrefs))
            }
            body(entry, w)
            w.end()
        }
        w.end()
        return w.finish()
    }

    public static func value(_ v: MetadataView, _ entry: MetadataEntry, admin: Bool, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        let href = valueHref(v.target, entry, admin: admin, hrefs: hrefs)
        w.root("MetadataValue")
        w.attribute("xmlns:xsi", Namespace.xsi)
        w.attribute("href", href)
        w.attribute("type", MediaType.metadataValue)
        w.link(rel: "up", type: MediaType.metadata, href: hrefs.metadata(v.target, admin: admin))
        if v.canWrite(entry) {
            w.link(rel: "edit", type: MediaType.metadataValue, href: href)
            w.link(rel: "remove", type: nil, href: href)
        }
        domain(entry, w)
        typedValue(entry, w)
        w.end()
        return w.finish()
    }

    public static func valueHref(_ t: MetadataTarget, _ e: MetadataEntry, admin: Bool, hrefs: Hrefs) -> String {
        hrefs.metadata(t, admin: admin) + "/" + e.domain.rawValue + "/" + percentEncoded(e.key)
    }

    static func body(_ e: MetadataEntry, _ w: XMLWriter) {
        domain(e, w)
        w.element("Key", e.key)
        typedValue(e, w)
    }

    static func domain(_ e: MetadataEntry, _ w: XMLWriter) {
        w.start("Domain")
        w.attribute("visibility", e.visibility.rawValue)
        w.text(e.domain.rawValue)
        w.end()
    }

    static func typedValue(_ e: MetadataEntry, _ w: XMLWriter) {
        w.start("TypedValue")
        w.attribute("xsi:type", e.type.rawValue)
        w.element("Value", e.value)
        w.end()
    }

    /// `POST …/metadata`: a `Metadata` with one or more `MetadataEntry`.
    public static func decodeMetadata(_ root: ParsedElement) throws(XMLParseError) -> [MetadataEntry] {
        try expectRoot(root, "Metadata")
        let entries = root.children("MetadataEntry")
        guard !entries.isEmpty else { throw XMLParseError(description: "The Metadata element holds no MetadataEntry.") }
        var out: [MetadataEntry] = []
        for e in entries {
            guard let key = e.child("Key")?.text.trimmed, !key.isEmpty else {
                throw XMLParseError(description: "Each MetadataEntry needs a Key.")
            }
            out.append(try entry(e, key: key))
        }
        return out
    }

    /// `PUT …/metadata[/{domain}]/{key}`: a `MetadataValue` with `Domain?` and `TypedValue`.
    public static func decodeValue(_ root: ParsedElement, key: String) throws(XMLParseError) -> MetadataEntry {
        try expectRoot(root, "MetadataValue")
        return try entry(root, key: key)
    }

    static func entry(_ e: ParsedElement, key: String) throws(XMLParseError) -> MetadataEntry {
        guard let typed = e.child("TypedValue"), let value = typed.child("Value") else {
            throw XMLParseError(description: "Metadata \"\(key)\" needs <TypedValue xsi:type=\"MetadataStringValue\"><Value>…</Value></TypedValue>.")
        }
        let typeName = (typed["type"] ?? "").split(separator: ":").last.map(String.init) ?? ""
        guard let type = MetadataEntry.ValueType(rawValue: typeName) else {
            let allowed = MetadataEntry.ValueType.allCases.map(\.rawValue).joined(separator: ", ")
            throw XMLParseError(description: "TypedValue xsi:type \"\(typeName)\" of metadata \"\(key)\" is not one of: \(allowed).")
        }
        var domain = MetadataEntry.Domain.general
        var visibility = MetadataEntry.Visibility.readWrite
        if let d = e.child("Domain") {
            guard let parsed = MetadataEntry.Domain(rawValue: d.text.trimmed) else {
                throw XMLParseError(description: "Metadata Domain \"\(d.text)\" is not GENERAL or SYSTEM.")
            }
            domain = parsed
            visibility = parsed == .system ? .readOnly : .readWrite
            if let vis = d["visibility"] {
                guard let v = MetadataEntry.Visibility(rawValue: vis) else {
                    throw XMLParseError(description: "Metadata visibility \"\(vis)\" is not READWRITE, READONLY or PRIVATE.")
                }
                visibility = v
            }
        }
        return MetadataEntry(key: key, value: value.text, type: type, domain: domain, visibility: visibility)
    }

    /// Keys go into hrefs as one path segment.
    static func percentEncoded(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
