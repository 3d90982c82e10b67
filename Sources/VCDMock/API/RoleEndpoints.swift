import VCDCore
import VCDXML

/// `GET /api/admin/role/{id}`: the roles users have (fixed in this mock); ids are `system-administrator`,
/// `org-administrator` and `user`. Administrators only, as in vCD.
enum RoleEndpoints {
    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let id = c.param("id")
        guard p.isSysadmin || p.user.role == .orgAdministrator,
              let role = Role.allCases.first(where: { $0.slug == id }) else { throw APIError(DomainError.noAccess("role", id)) }
        return .ok(RoleDocument.mediaType, RoleDocument.role(slug: role.slug, name: role.displayName, hrefs: c.hrefs))
    }
}

extension Role {
    /// `system administrator` -> `system-administrator`: the id in role hrefs and URNs.
    var slug: String { String(rawValue.map { $0 == " " ? "-" : $0 }) }
}
