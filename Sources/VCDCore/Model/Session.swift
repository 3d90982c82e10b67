/// A logged-in user's session: one object whichever way it was made (`POST /api/sessions` or
/// `POST /cloudapi/1.0.0/sessions[/provider]`), reachable by its `x-vcloud-authorization` token and, once
/// one is issued, by its access token (a JWT sent as `Authorization: Bearer`). Logout by either ends both;
/// the idle timeout applies to both.
public struct Session: Sendable, Equatable {
    public var token: String
    /// The UUID of `urn:vcloud:session:<id>` (cloudapi JSON, the JWT's `jti`).
    public var id: String
    public var userID: String
    public var orgID: String
    public var created: Timestamp
    public var lastUsed: Timestamp
    /// The access token (JWT) issued for this session, and when it stops being accepted.
    public var accessToken: String?
    public var accessTokenExpires: Timestamp?
}

/// Which login path a session is made through: System users log in as providers, others as tenants.
public enum LoginPath: Sendable {
    /// `POST /api/sessions`: anyone.
    case any
    /// `POST /cloudapi/1.0.0/sessions`: users of tenant orgs only.
    case tenant
    /// `POST /cloudapi/1.0.0/sessions/provider`: users of the System org only.
    case provider
}

/// The caller of an operation, resolved from a live session.
public struct Principal: Sendable, Equatable {
    public var session: Session
    public var user: User
    public var orgID: String
    public var orgName: String

    public var isSysadmin: Bool { user.role == .systemAdministrator && orgName.lowercased() == "system" }

    /// Sysadmins administer every org; org administrators their own.
    public func administers(orgID: String) -> Bool {
        isSysadmin || (user.role == .orgAdministrator && orgID == self.orgID)
    }

    public func canRead(orgID: String) -> Bool { isSysadmin || orgID == self.orgID }
}
