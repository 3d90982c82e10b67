/// A `Link` of a query answer (paging, alternate formats, record links).
public struct QueryLink: Sendable, Equatable {
    public var rel: String
    public var type: String?
    public var href: String
    public var name: String?

    public init(rel: String, type: String?, href: String, name: String? = nil) {
        self.rel = rel
        self.type = type
        self.href = href
        self.name = name
    }
}

/// One record or reference: its element name, attributes in order, and Links (`links=true`).
public struct QueryRow: Sendable, Equatable {
    public var element: String
    public var attributes: [(name: String, value: String)]
    public var links: [QueryLink]

    public init(element: String, attributes: [(name: String, value: String)], links: [QueryLink] = []) {
        self.element = element
        self.attributes = attributes
        self.links = links
    }

    public static func == (a: QueryRow, b: QueryRow) -> Bool {
        a.element == b.element && a.links == b.links && a.attributes.map(\.name) == b.attributes.map(\.name)
            && a.attributes.map(\.value) == b.attributes.map(\.value)
    }
}

/// One page of a typed query, ready to write.
public struct QueryPage: Sendable {
    /// `QueryResultRecords` for records and idrecords, `<Type>References` for references.
    public var root: String
    public var mediaType: String
    /// The query type, e.g. `task`.
    public var name: String
    public var href: String
    public var page: Int
    public var pageSize: Int
    public var total: Int
    public var links: [QueryLink]
    public var rows: [QueryRow]

    public init(root: String, mediaType: String, name: String, href: String, page: Int, pageSize: Int, total: Int,
                links: [QueryLink], rows: [QueryRow]) {
        self.root = root
        self.mediaType = mediaType
        self.name = name
        self.href = href
        self.page = page
        self.pageSize = pageSize
        self.total = total
        self.links = links
        self.rows = rows
    }
}

/// `QueryList`, `QueryResultRecords` and the references lists of the query service (reference §7.3).
public enum QueryDocument {
    /// One `Link rel="down"` per (type, format); `name` is the type, each href already carries a `?`.
    public static func queryList(_ links: [QueryLink], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("QueryList")
        w.attribute("href", hrefs.api("query"))
        w.attribute("type", MediaType.queryList)
        for l in links { w.link(rel: l.rel, type: l.type, href: l.href, name: l.name) }
        w.end()
        return w.finish()
    }

    /// ContainerType order: attributes, then Links, then the records.
    public static func page(_ p: QueryPage) -> [UInt8] {
        let w = XMLWriter()
        w.root(p.root)
        w.attribute("href", p.href)
        w.attribute("type", p.mediaType)
        w.attribute("name", p.name)
        w.attribute("page", String(p.page))
        w.attribute("pageSize", String(p.pageSize))
        w.attribute("total", String(p.total))
        for l in p.links { w.link(rel: l.rel, type: l.type, href: l.href, name: l.name) }
        for row in p.rows {
            w.start(row.element)
            for (name, value) in row.attributes { w.attribute(name, value) }
            for l in row.links { w.link(rel: l.rel, type: l.type, href: l.href, name: l.name) }
            w.end()
        }
        w.end()
        return w.finish()
    }
}
