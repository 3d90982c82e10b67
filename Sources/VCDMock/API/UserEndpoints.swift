import VCDCore
import VCDHTTP
import VCDXML

/// Users of an org (§3.4) and the predefined roles they hold.
enum UserEndpoints {
    /// `POST /api/admin/org/{id}/users` → 201 User (system administrators, and org administrators of that org).
    static func create(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try decode(c)
        let orgID = c.param("id")
        let user = try domain { () throws(DomainError) in try c.store.createUser(in: orgID, draft, by: p) }
        let org = try domain { () throws(DomainError) in try c.store.adminOrg(orgID, for: p) }
        return Reply(status: 201, mediaType: MediaType.user, body: UserDocument.user(user, org: org, manage: true, isCaller: false, hrefs: c.hrefs),
                     headers: [HTTPHeader("Location", c.hrefs.user(user.id))])
    }

    /// Administrators of the user's org, and its other members (read only).
    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (org, user) = try domain { () throws(DomainError) in try c.store.user(c.param("id"), for: p) }
        return .ok(MediaType.user, UserDocument.user(user, org: org, manage: p.administers(orgID: org.id), isCaller: user.id == p.user.id,
                                                     hrefs: c.hrefs))
    }

    static func update(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try decode(c)
        let (org, user) = try domain { () throws(DomainError) in try c.store.updateUser(c.param("id"), draft, by: p) }
        return .ok(MediaType.user, UserDocument.user(user, org: org, manage: true, isCaller: user.id == p.user.id, hrefs: c.hrefs))
    }

    static func delete(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        try domain { () throws(DomainError) in try c.store.deleteUser(c.param("id"), by: p) }
        return .noContent
    }

    /// The predefined roles are readable by every logged-in user (they are referenced from User documents).
    static func role(_ c: Context) throws(APIError) -> Reply {
        _ = try c.caller
        let id = c.param("id")
        guard let role = Role(id: id) else { throw APIError(DomainError.noAccess("role", id)) }
        return .ok(MediaType.role, UserDocument.role(role, hrefs: c.hrefs))
    }

    static func decode(_ c: Context) throws(APIError) -> UserDraft {
        try c.decodeBody(UserDocument.decodeUser)
    }
}
