import VCDCore
import VCDHTTP
import VCDXML

/// The user view of organizations (§3.1, §3.2).
enum OrgEndpoints {
    static func list(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        // Sized before the lock is taken; anyone but a system administrator sees only their own org.
        var orgs = OrgNames(capacity: p.isSysadmin ? c.store.orgCount : 1)
        c.store.forEachVisibleOrg(for: p) { orgs.append(id: $0, name: $1) }
        return .ok(MediaType.orgList, OrgDocument.orgList(orgs, hrefs: c.hrefs))
    }

    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let id = c.param("id")
        let vdcQuery = APIVersion.hasCloudAPISessions(c.version)
        // The closure below takes these, not `c`: capturing the context copied all of it on every GET.
        let (app, host) = (c.app, c.request.header("Host"))
        let key = RenderCache.Key(kind: vdcQuery ? .org33 : .org, id: CompactID(id), base: Context.baseKey(app, host: host))
        // A cached document was rendered at the revision it names, so the org existed then; a caller who may
        // not read the org always takes the render, which throws.
        let revision = p.canRead(orgID: id) ? app.store.orgRevision : nil
        let body = try app.cache.body(key, at: revision, pool: .shared) { () throws(APIError) in
            let (org, revision) = try domain { () throws(DomainError) in try app.store.orgWithRevision(id, for: p) }
            let hrefs = Hrefs(base: Context.baseURL(app, host: host))
            return (OrgDocument.org(org, hrefs: hrefs, vdcQuery: vdcQuery), revision)
        }
        var reply = Reply.ok(MediaType.org, body.bytes)
        reply.pooledBody = body.pooled
        return reply
    }

}
