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

/// The caller of an operation, resolved from a live session. A class: every request's pipeline, context and
/// journal entry hold it, and one retain per copy is cheaper than a dozen (its strings and the user's).
public final class Principal: Sendable, Equatable {
    public let session: Session
    public let user: User
    public let orgID: String
    public let orgName: String
    public let isSysadmin: Bool

    public init(session: Session, user: User, orgID: String, orgName: String) {
        self.session = session
        self.user = user
        self.orgID = orgID
        self.orgName = orgName
        isSysadmin = user.role == .systemAdministrator && orgName.lowercased() == "system"
    }

    /// Sysadmins administer every org; org administrators their own.
    public func administers(orgID: String) -> Bool {
        isSysadmin || (user.role == .orgAdministrator && orgID == self.orgID)
    }

    public func canRead(orgID: String) -> Bool { isSysadmin || orgID == self.orgID }

    public static func == (a: Principal, b: Principal) -> Bool {
        a.session == b.session && a.user == b.user && a.orgID == b.orgID && a.orgName == b.orgName
    }
}
