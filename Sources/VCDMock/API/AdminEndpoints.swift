import VCDCore
import VCDXML

/// Admin views (§3.3, §3.4) and the extension root.
enum AdminEndpoints {
    static func vcloud(_ c: Context) throws(APIError) -> Reply {
        guard try c.caller.isSysadmin else { throw .forbidden("Only a system administrator may read /api/admin.") }
        return .ok(MediaType.vcloud, OrgDocument.vcloud(c.store.allOrgs, hrefs: c.hrefs))
    }

    static func org(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let org = try domain { () throws(DomainError) in try c.store.adminOrg(c.param("id"), for: p) }
        return .ok(MediaType.adminOrg, OrgDocument.adminOrg(org, hrefs: c.hrefs, vdcQuery: APIVersion.hasCloudAPISessions(c.version)))
    }

    static func metadata(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let org = try domain { () throws(DomainError) in try c.store.adminOrg(c.param("id"), for: p) }
        return .ok(MediaType.metadata, InventoryDocument.metadata(org, admin: true, hrefs: c.hrefs))
    }

    static func user(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (org, user) = try domain { () throws(DomainError) in try c.store.user(c.param("id"), for: p) }
        return .ok(MediaType.user, InventoryDocument.user(user, org: org, hrefs: c.hrefs))
    }

    static func extensionRoot(_ c: Context) throws(APIError) -> Reply {
        guard try c.caller.isSysadmin else { throw .forbidden("Only a system administrator may read /api/admin/extension.") }
        return .ok(MediaType.vmwExtension, InventoryDocument.vmwExtension(hrefs: c.hrefs))
    }
}
