import VCDXML

/// Filtering and sorting over row indices: the rows themselves are never copied, only the indices of
/// the matches (and one sort key per match) are.
enum QuerySelection {
    static func select<Row>(_ rows: [Row], where predicate: ((Row) -> Bool)?, sortBy read: ((Row) -> QueryValue?)?,
                            descending: Bool) -> [Int] {
        var matched: [Int]
        if let predicate {
            matched = []
            for i in rows.indices where predicate(rows[i]) { matched.append(i) }
        } else {
            matched = Array(rows.indices)
        }
        guard let read else { return matched }
        // Keys are read once per match; ties keep the natural (creation) order, so paging is stable.
        let keys = matched.map { SortKey(read(rows[$0])) }
        var order = Array(keys.indices)
        order.sort { a, b in
            let ka = keys[a], kb = keys[b]
            if ka == kb { return a < b }
            return descending ? kb < ka : ka < kb
        }
        return order.map { matched[$0] }
    }
}

/// Which slice of the matches a page shows, and the links around it. Pages are 1-based; `offset` skips
/// that many matches before page 1. A page past the end is empty, as in vCD.
struct QueryWindow {
    let total: Int
    let page: Int
    let pageSize: Int
    let offset: Int

    var range: Range<Int> {
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        guard !overflow, start < total - offset else { return total..<total }
        let from = start + offset
        return from..<min(from + pageSize, total)
    }

    var lastPage: Int { max(1, (max(0, total - offset) + pageSize - 1) / pageSize) }

    func links(_ q: QueryRequest, _ name: String, _ hrefs: Hrefs) -> [QueryLink] {
        var links: [QueryLink] = []
        for format in QueryFormat.allCases where format != q.format {
            links.append(QueryLink(rel: "alternate", type: format.mediaType,
                                   href: q.href(hrefs, type: name, page: page, format: format)))
        }
        func paging(_ rel: String, _ to: Int) {
            links.append(QueryLink(rel: rel, type: q.format.mediaType, href: q.href(hrefs, type: name, page: to, format: q.format)))
        }
        if page > 1 {
            paging("firstPage", 1)
            paging("previousPage", min(page - 1, lastPage))
        }
        if page < lastPage {
            paging("nextPage", page + 1)
            paging("lastPage", lastPage)
        }
        return links
    }
}
