import Foundation
import VCDCore
import VCDHTTP
import VCDXML

/// cloudapi sessions (reference §2.3): API 33+ login for tenants and providers, the current session and
/// logout, all JSON. A session made here is the same Store session `POST /api/sessions` makes.
enum CloudAPISessions {
    static func tenantLogin(_ c: Context) throws(APIError) -> Reply { try login(c, path: .tenant) }
    static func providerLogin(_ c: Context) throws(APIError) -> Reply { try login(c, path: .provider) }

    static func login(_ c: Context, path: LoginPath) throws(APIError) -> Reply {
        try requireCloudAPIVersion(c)
        let (user, org, password) = try SessionEndpoints.credentials(c.request.header("Authorization"))
        let p = try domain { () throws(DomainError) in try c.store.login(user: user, org: org, password: password, path: path) }
        guard let jwt = AccessToken.issue(for: p, issuer: c.baseURL + "/cloudapi", store: c.store) else {
            throw .unauthorized("The session ended before its access token was issued; log in again.")
        }
        var reply = json(c, body(p, c))
        reply.headers += [
            HTTPHeader("X-VMWARE-VCLOUD-ACCESS-TOKEN", jwt),
            HTTPHeader("X-VMWARE-VCLOUD-TOKEN-TYPE", "Bearer"),
            HTTPHeader("x-vcloud-authorization", p.session.token),
        ]
        return reply
    }

    static func current(_ c: Context) throws(APIError) -> Reply {
        try requireCloudAPIVersion(c)
        return json(c, body(try c.caller, c))
    }

    static func logout(_ c: Context) throws(APIError) -> Reply {
        try requireCloudAPIVersion(c)
        c.store.logout(token: try c.caller.session.token)
        return .noContent
    }

    /// `DELETE /cloudapi/1.0.0/sessions/{id}`: only the caller's own session (its urn or bare id).
    static func logoutByID(_ c: Context) throws(APIError) -> Reply {
        try requireCloudAPIVersion(c)
        let p = try c.caller
        let id = c.param("id")
        guard id == p.session.id || id == urn("session", p.session.id) else {
            throw .notFound("There is no session \(id) of yours; DELETE /cloudapi/1.0.0/sessions/current ends the current one.")
        }
        c.store.logout(token: p.session.token)
        return .noContent
    }

    /// cloudapi sessions exist from API 33.0 (vCD 10.0).
    static func requireCloudAPIVersion(_ c: Context) throws(APIError) {
        guard APIVersion.hasCloudAPISessions(c.version) else {
            throw .notAcceptable("cloudapi sessions need API 33.0 or later; send Accept: application/json;version=36.0 (or use POST /api/sessions at \(c.version)).")
        }
    }

    /// The session as JSON (§2.3).
    static func body(_ p: Principal, _ c: Context) -> [String: Any] {
        let org: [String: Any] = ["name": p.orgName, "id": urn("org", p.orgID)]
        let role = p.user.role.displayName
        return [
            "id": urn("session", p.session.id),
            "site": ["name": SiteIdentity.name, "id": urn("site", SiteIdentity.id)],
            "user": ["name": p.user.name, "id": urn("user", p.user.id)],
            "org": org,
            "operatingOrg": org,
            "location": SiteIdentity.name,
            "roles": [role],
            "roleRefs": [["name": role, "id": urn("role", p.user.role.id)]],
            "sessionIdleTimeoutMinutes": Int(c.store.settings.sessionIdleTimeoutMillis / 60_000),
        ]
    }

    /// JSON with the negotiated version in Content-Type, as vCD sends it.
    static func json(_ c: Context, _ object: [String: Any]) -> Reply {
        var reply = Reply(mediaType: nil, body: AccessToken.json(object),
                          headers: [HTTPHeader("Content-Type", "application/json;version=\(c.version)")])
        reply.verbatim = true
        return reply
    }
}
