import VCDCore
import VCDHTTP
import VCDXML

/// Orgs created, edited, enabled, disabled and deleted at run time (§3.3, §3.4); system administrators only.
enum AdminOrgEndpoints {
    /// `POST /api/admin/orgs` → 201 AdminOrg with a Location header.
    static func create(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try decode(c)
        let org = try domain { () throws(DomainError) in try c.store.createOrg(draft, by: p) }
        let href = c.hrefs.adminOrg(org.id)
        return Reply(status: 201, mediaType: MediaType.adminOrg, body: OrgDocument.adminOrg(org, hrefs: c.hrefs),
                     headers: [HTTPHeader("Location", href)])
    }

    /// `PUT /api/admin/org/{id}`: FullName, Description and IsEnabled; pyvcloud sends back the whole AdminOrg.
    static func update(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try decode(c)
        let org = try domain { () throws(DomainError) in try c.store.updateOrg(c.param("id"), draft, by: p) }
        return .ok(MediaType.adminOrg, OrgDocument.adminOrg(org, hrefs: c.hrefs, sysadmin: p.isSysadmin))
    }

    static func enable(_ c: Context) throws(APIError) -> Reply { try setEnabled(c, true) }
    static func disable(_ c: Context) throws(APIError) -> Reply { try setEnabled(c, false) }

    static func setEnabled(_ c: Context, _ enabled: Bool) throws(APIError) -> Reply {
        let p = try c.caller
        _ = try domain { () throws(DomainError) in try c.store.updateOrg(c.param("id"), OrgDraft(enabled: enabled), by: p) }
        return .noContent
    }

    /// `DELETE /api/admin/org/{id}[?force=true&recursive=true]`; pyvcloud sends `True`/`False`/`None`.
    static func delete(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let q = c.request.queryItems
        let force = q["force"]?.lowercased() == "true"
        let recursive = q["recursive"]?.lowercased() == "true"
        try domain { () throws(DomainError) in try c.store.deleteOrg(c.param("id"), force: force, recursive: recursive, by: p) }
        return .noContent
    }

    static func decode(_ c: Context) throws(APIError) -> OrgDraft {
        try c.decodeBody(UserDocument.decodeOrg)
    }
}
