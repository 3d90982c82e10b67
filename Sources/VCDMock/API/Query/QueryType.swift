import VCDCore
import VCDXML

/// Who may run a query type (reference §7.2, §7.3).
enum QueryAccess: Sendable {
    case everyone
    /// Events: organization administrators (their org) and system administrators.
    case orgAdministrators
    /// `admin*` types and the extension registry.
    case sysadmin

    func allows(_ p: Principal) -> Bool {
        switch self {
        case .everyone: true
        case .orgAdministrators: p.isSysadmin || p.user.role == .orgAdministrator
        case .sysadmin: p.isSysadmin
        }
    }
}

/// A query type as the endpoint sees it: who may run it, what it reads, how it answers one page.
protocol QueryType: Sendable {
    var name: String { get }
    var access: QueryAccess { get }
    var source: QuerySource { get }
    func answer(_ q: QueryRequest, as name: String, from snapshot: QuerySnapshot, hrefs: Hrefs) throws(APIError) -> QueryPage
}

/// The rows of a big source (tasks, events) stay in the snapshot's array; a row is the table and an index,
/// so the generic query code copies a row with one retain instead of copying a CloudTask (about twenty).
final class RowTable<T: Sendable>: Sendable {
    let items: [T]
    let orgNames: [String: String]

    init(_ items: [T], orgNames: [String: String]) {
        self.items = items
        self.orgNames = orgNames
    }

    var rows: [Indexed<T>] { items.indices.map { Indexed(table: self, index: $0) } }
}

struct Indexed<T: Sendable>: Sendable {
    let table: RowTable<T>
    let index: Int

    var value: T { table.items[index] }
}

/// A value with the org it belongs to (users and inventory items show the org's name). A class, for the
/// same reason as `Indexed`.
final class InOrg<T: Sendable>: Sendable {
    let value: T
    let orgID: String
    let orgName: String

    init(value: T, orgID: String, orgName: String) {
        self.value = value
        self.orgID = orgID
        self.orgName = orgName
    }
}

/// One typed query over rows of `Row`: names, record attributes, and the rows of a snapshot.
struct RecordType<Row: Sendable>: QueryType {
    let name: String
    /// Record element, e.g. `TaskRecord`.
    let record: String
    /// Stem of the references format: `Task` -> `TaskReferences` / `TaskReference`.
    let reference: String
    /// The entity's media type: `type` of references and record links.
    let entityType: String
    let access: QueryAccess
    let source: QuerySource
    let rows: @Sendable (QuerySnapshot) -> [Row]
    /// The record's own href (nil: the record has none, like events).
    let link: @Sendable (Row) -> EntityLink?
    /// The record's URN in idrecords when it has no link (events).
    var urn: (@Sendable (Row) -> String)? = nil
    /// The `name` of a reference.
    let label: @Sendable (Row) -> String?
    let attributes: [QueryAttribute<Row>]

    func answer(_ q: QueryRequest, as name: String, from snapshot: QuerySnapshot, hrefs: Hrefs) throws(APIError) -> QueryPage {
        var table: [String: QueryAttribute<Row>] = [:]
        for a in attributes { table[a.name] = a }
        let shown = try shownAttributes(q.fields, table)
        var predicate: (@Sendable (Row) -> Bool)?
        if let filter = q.filter {
            let node: FilterNode
            do { node = try FilterParser.parse(filter, encoded: q.filterEncoded) } catch { throw .badRequest(error.message) }
            predicate = try FilterCompiler(typeName: name, attributes: table).compile(node)
        }
        var sortBy: QueryAttribute<Row>?
        if let s = q.sortAttribute {
            guard let a = table[s] else { throw unknown(s, "sort by", table) }
            sortBy = a
        }
        let all = rows(snapshot)
        let selected = QuerySelection.select(all, where: predicate, sortBy: sortBy?.read, descending: q.sortDescending)
        let window = QueryWindow(total: selected.count, page: q.page, pageSize: q.pageSize, offset: q.offset)
        let page = window.range.map { render(all[selected[$0]], q, shown, hrefs) }
        let isReferences = q.format == .references
        return QueryPage(root: isReferences ? reference + "References" : "QueryResultRecords", mediaType: q.format.mediaType,
                         name: name, href: q.href(hrefs, type: name, page: q.page, format: q.format), page: q.page,
                         pageSize: q.pageSize, total: selected.count, links: window.links(q, name, hrefs), rows: page)
    }

    private func shownAttributes(_ fields: [String]?, _ table: [String: QueryAttribute<Row>]) throws(APIError)
        -> [QueryAttribute<Row>] {
        guard let fields else { return attributes }
        var chosen: [QueryAttribute<Row>] = []
        // Metadata fields are accepted; these records carry no metadata, so they add nothing.
        for f in fields where !f.hasPrefix("metadata:") && !f.hasPrefix("metadata@") {
            guard let a = table[f] else { throw unknown(f, "return as a field", table) }
            chosen.append(a)
        }
        return chosen
    }

    private func unknown(_ attribute: String, _ use: String, _ table: [String: QueryAttribute<Row>]) -> APIError {
        .badRequest("Type \"\(name)\" has no attribute \"\(attribute)\" to \(use). Its attributes: "
                    + table.keys.sorted().joined(separator: ", ") + ".")
    }

    private func render(_ row: Row, _ q: QueryRequest, _ shown: [QueryAttribute<Row>], _ hrefs: Hrefs) -> QueryRow {
        let own = link(row)
        let href = own?.href(hrefs)
        let id = own.map(\.urn) ?? urn?(row)
        var links: [QueryLink] = []
        if q.links, let href { links.append(QueryLink(rel: "alternate", type: entityType, href: href)) }
        if q.format == .references {
            var attrs: [(name: String, value: String)] = [("type", entityType)]
            if let n = label(row) { attrs.append(("name", n)) }
            if let href { attrs.append(("href", href)) }
            if let id { attrs.append(("id", id)) }
            return QueryRow(element: reference + "Reference", attributes: attrs, links: links)
        }
        var attrs: [(name: String, value: String)] = []
        attrs.reserveCapacity(shown.count + 2)
        if let href { attrs.append(("href", href)) }
        if q.format == .idrecords, let id { attrs.append(("id", id)) }
        for a in shown {
            if let v = a.read(row) { attrs.append((a.name, v.rendered(q.format, hrefs))) }
        }
        return QueryRow(element: record, attributes: attrs, links: links)
    }
}
