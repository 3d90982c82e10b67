import VCDCore
import VCDXML

/// Admin views (§3.3, §3.4) and the extension root.
enum AdminEndpoints {
    /// System administrators see every org; org administrators a VCloud holding their own org.
    static func vcloud(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        if p.isSysadmin { return .ok(MediaType.vcloud, OrgDocument.vcloud(c.store.allOrgs, hrefs: c.hrefs)) }
        guard p.user.role == .orgAdministrator else {
            throw .forbidden("Only system and organization administrators may read /api/admin.")
        }
        let own = try domain { () throws(DomainError) in try c.store.adminOrg(p.orgID, for: p) }
        return .ok(MediaType.vcloud, OrgDocument.vcloud([own], hrefs: c.hrefs, sysadmin: false, roles: Role.tenantRoles))
    }

    static func org(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let org = try domain { () throws(DomainError) in try c.store.adminOrg(c.param("id"), for: p) }
        return .ok(MediaType.adminOrg, OrgDocument.adminOrg(org, hrefs: c.hrefs, sysadmin: p.isSysadmin,
                                                            vdcQuery: APIVersion.hasCloudAPISessions(c.version)))
    }

    static func extensionRoot(_ c: Context) throws(APIError) -> Reply {
        guard try c.caller.isSysadmin else { throw .forbidden("Only a system administrator may read /api/admin/extension.") }
        return .ok(MediaType.vmwExtension, InventoryDocument.vmwExtension(hrefs: c.hrefs))
    }
}
