import VCDCore
import VCDXML

/// The user view of organizations (§3.1, §3.2).
enum OrgEndpoints {
    static func list(_ c: Context) throws(APIError) -> Reply {
        var orgs = OrgNames(capacity: c.store.orgCount)
        c.store.forEachVisibleOrg(for: try c.caller) { orgs.append(id: $0, name: $1) }
        return .ok(MediaType.orgList, OrgDocument.orgList(orgs, hrefs: c.hrefs))
    }

    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let id = c.param("id")
        let revision = try domain { () throws(DomainError) in try c.store.orgRevision(id, for: p) }
        let vdcQuery = APIVersion.hasCloudAPISessions(c.version)
        let key = RenderCache.Key(kind: vdcQuery ? "org33" : "org", id: id, base: c.baseKey, revision: revision)
        return try .ok(MediaType.org, c.cache.bytes(key) { () throws(APIError) in
            let org = try domain { () throws(DomainError) in try c.store.org(id, for: p) }
            return OrgDocument.org(org, hrefs: c.hrefs, vdcQuery: vdcQuery)
        })
    }

}
