import VCDCore
import VCDXML

/// `GET /api/query`: the QueryList without `type`, a typed query with it (reference §7.3).
enum QueryEndpoints {
    /// Every type in QueryList order.
    static let types: [any QueryType] = [
        InventoryQueryTypes.organization,
        ActivityQueryTypes.task(admin: false), ActivityQueryTypes.task(admin: true),
        ActivityQueryTypes.event(admin: false), ActivityQueryTypes.event(admin: true),
        InventoryQueryTypes.user(admin: false), InventoryQueryTypes.user(admin: true),
        InventoryQueryTypes.catalog(admin: false), InventoryQueryTypes.catalog(admin: true),
        InventoryQueryTypes.vdc(admin: false), InventoryQueryTypes.vdc(admin: true),
        InventoryQueryTypes.network(admin: false), InventoryQueryTypes.network(admin: true),
        InventoryQueryTypes.role(admin: false), InventoryQueryTypes.role(admin: true),
        ActivityQueryTypes.adminService, ActivityQueryTypes.apiFilter,
        VAppQueryTypes.vapp(admin: false), VAppQueryTypes.vapp(admin: true),
        VAppQueryTypes.vm(admin: false), VAppQueryTypes.vm(admin: true),
        TemplateQueryTypes.template(admin: false), TemplateQueryTypes.template(admin: true),
        TemplateQueryTypes.catalogItem(admin: false), TemplateQueryTypes.catalogItem(admin: true),
        BlockingTaskQueryTypes.blockingTask,
    ]

    /// Names a type answers to: its own, plus `vdc` (what clients and the Org's query link say).
    static let byName: [String: any QueryType] = {
        var map: [String: any QueryType] = [:]
        for t in types { map[t.name] = t }
        map["vdc"] = InventoryQueryTypes.vdc(admin: false, name: "vdc")
        return map
    }()

    static func query(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let q = try QueryRequest.parse(c.request.query)
        guard let name = q.type else {
            return .ok(MediaType.queryList, QueryDocument.queryList(queryList(for: p, c.hrefs), hrefs: c.hrefs))
        }
        guard let type = byName[name] else {
            throw .badRequest("Query type \"\(name)\" is not known to vcd-mock; it serves: "
                              + types.map(\.name).joined(separator: ", ") + " (and vdc). Type names are case-sensitive.")
        }
        guard type.access.allows(p) else {
            let who = type.access == .sysadmin ? "a system administrator" : "an organization or system administrator"
            throw .forbidden("Only \(who) may run the \(name) query; log in as one (e.g. to org System).")
        }
        // Tenants read their own org; system administrators every org. One snapshot, one lock.
        let snapshot = c.store.querySnapshot(type.source, scope: p.isSysadmin ? .all : .org(p.orgID))
        let page = try type.answer(q, as: name, from: snapshot, hrefs: c.hrefs)
        return .ok(q.format.mediaType, QueryDocument.page(page))
    }

    /// One `Link rel="down"` per type the caller may query and per format.
    static func queryList(for p: Principal, _ hrefs: Hrefs) -> [QueryLink] {
        types.filter { $0.access.allows(p) }.flatMap { t in
            QueryFormat.allCases.map { f in
                QueryLink(rel: "down", type: f.mediaType, href: hrefs.api("query") + "?type=\(t.name)&format=\(f.rawValue)",
                          name: t.name)
            }
        }
    }
}
