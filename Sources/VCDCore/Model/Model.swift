public struct User: Sendable, Equatable {
    public var id: String
    public var name: String
    public var password: String
    public var role: Role
    public var fullName: String
    public var email: String
    /// A disabled user cannot log in (vCD `IsEnabled`).
    public var enabled: Bool = true
    public var description: String = ""
    public var metadata: [MetadataEntry] = []

    public init(id: String, name: String, password: String, role: Role, fullName: String = "", email: String = "") {
        self.id = id
        self.name = name
        self.password = password
        self.role = role
        self.fullName = fullName
        self.email = email
    }
}

/// A vdc, catalog or org network: the mock keeps only what their minimal representations show.
public struct InventoryItem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case vdc, catalog, network }
    public var kind: Kind
    public var id: String
    public var name: String
    public var description: String
    public var metadata: [MetadataEntry] = []

    public init(kind: Kind, id: String, name: String, description: String = "") {
        self.kind = kind
        self.id = id
        self.name = name
        self.description = description
    }
}

public struct Org: Sendable, Equatable {
    public var id: String
    public var name: String
    public var fullName: String
    public var description: String
    public var enabled: Bool
    public var users: [User]
    public var vdcs: [InventoryItem]
    public var catalogs: [InventoryItem]
    public var networks: [InventoryItem]
    public var metadata: [MetadataEntry]
    /// vApp templates in the org's catalogs, and vApps in its vdcs (Model/VApp.swift).
    public var catalogItems: [CatalogItem] = []
    public var vapps: [VApp] = []

    public init(id: String, name: String, fullName: String = "", description: String = "", enabled: Bool = true,
                users: [User] = [], vdcs: [InventoryItem] = [], catalogs: [InventoryItem] = [],
                networks: [InventoryItem] = [], metadata: [MetadataEntry] = []) {
        self.id = id
        self.name = name
        self.fullName = fullName.isEmpty ? name : fullName
        self.description = description
        self.enabled = enabled
        self.users = users
        self.vdcs = vdcs
        self.catalogs = catalogs
        self.networks = networks
        self.metadata = metadata
    }

    /// The System org is where system administrators live.
    public var isSystem: Bool { name.lowercased() == "system" }

    public func items(_ kind: InventoryItem.Kind) -> [InventoryItem] {
        switch kind {
        case .vdc: vdcs
        case .catalog: catalogs
        case .network: networks
        }
    }
}
