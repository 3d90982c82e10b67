/// The predefined vCD roles a user can hold. Raw values are the names used in fixture files; vCD's own
/// names (`displayName`) are accepted there too. Each role has a stable id for `/api/admin/role/{id}`.
public enum Role: String, Sendable, CaseIterable, Codable {
    case systemAdministrator = "system administrator"
    case orgAdministrator = "org administrator"
    case vappAuthor = "vapp author"
    case user = "user"
    case consoleAccessOnly = "console access only"

    /// The role name vCD shows (e.g. in User representations and RoleReferences).
    public var displayName: String {
        switch self {
        case .systemAdministrator: "System Administrator"
        case .orgAdministrator: "Organization Administrator"
        case .vappAuthor: "vApp Author"
        case .user: "vApp User"
        case .consoleAccessOnly: "Console Access Only"
        }
    }

    public var description: String {
        switch self {
        case .systemAdministrator: "Manages the whole cloud."
        case .orgAdministrator: "Manages users, catalogs and settings of one organization."
        case .vappAuthor: "Uses catalogs and creates vApps."
        case .user: "Uses existing vApps."
        case .consoleAccessOnly: "Views VM state and opens consoles."
        }
    }

    /// Stable across starts, derived from the vCD name.
    public var id: String { StableID.uuid("role", displayName) }

    /// Roles any organization may hand out; System Administrator exists only in org System.
    public static let tenantRoles: [Role] = [.orgAdministrator, .vappAuthor, .user, .consoleAccessOnly]

    /// A fixture or vCD name, case-insensitive ("vApp User" and "user" alike).
    public init?(named text: String) {
        let lower = text.lowercased()
        guard let role = Role(rawValue: lower) ?? Role.allCases.first(where: { $0.displayName.lowercased() == lower }) else {
            return nil
        }
        self = role
    }

    public init?(id: String) {
        guard let role = Role.allCases.first(where: { $0.id == id }) else { return nil }
        self = role
    }
}
