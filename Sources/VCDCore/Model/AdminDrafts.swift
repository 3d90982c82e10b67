/// What a client may say about an org in `POST /api/admin/orgs` or `PUT /api/admin/org/{id}` (§3.4).
public struct OrgDraft: Sendable, Equatable {
    public var name: String?
    public var fullName: String?
    public var description: String?
    public var enabled: Bool?

    public init(name: String? = nil, fullName: String? = nil, description: String? = nil, enabled: Bool? = nil) {
        self.name = name
        self.fullName = fullName
        self.description = description
        self.enabled = enabled
    }
}

/// What a client may say about a user in `POST /api/admin/org/{id}/users` or `PUT /api/admin/user/{id}`.
public struct UserDraft: Sendable, Equatable {
    public var name: String?
    public var password: String?
    public var fullName: String?
    public var email: String?
    public var description: String?
    public var enabled: Bool?
    /// The id at the end of the Role reference's href (`/api/admin/role/{id}`); "" when the href has none.
    public var roleID: String?

    public init(name: String? = nil, password: String? = nil, roleID: String? = nil) {
        self.name = name
        self.password = password
        self.roleID = roleID
    }
}

/// Event types of the admin operations (`com/vmware/vcloud/event/...`).
extension EventType {
    public static let orgCreate = prefix + "org/create"
    public static let orgModify = prefix + "org/modify"
    public static let orgDelete = prefix + "org/delete"
    public static let userCreate = prefix + "user/create"
    public static let userModify = prefix + "user/modify"
    public static let userDelete = prefix + "user/delete"
}
