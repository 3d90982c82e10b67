/// A logged-in user's token and who it belongs to.
public struct Session: Sendable, Equatable {
    public var token: String
    public var userID: String
    public var orgID: String
    public var created: Timestamp
    public var lastUsed: Timestamp
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
