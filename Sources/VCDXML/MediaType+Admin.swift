import VCDCore

/// Media types and hrefs of the admin API (orgs, users, roles), metadata and the entity resolver.
extension MediaType {
    public static let role = "application/vnd.vmware.admin.role+xml"
    public static let metadataValue = "application/vnd.vmware.vcloud.metadata.value+xml"
    public static let entity = "application/vnd.vmware.vcloud.entity+xml"
}

extension Hrefs {
    public var adminOrgs: String { api("admin/orgs") }
    public var entityResolver: String { api("entity/") }
    public func role(_ id: String) -> String { api("admin/role/\(id)") }
    public func orgUsers(_ orgID: String) -> String { adminOrg(orgID) + "/users" }
    public func orgAction(_ orgID: String, _ action: String) -> String { adminOrg(orgID) + "/action/" + action }
    public func entity(_ urn: String) -> String { api("entity/" + urn) }

    /// The object a metadata target belongs to, in the user or the admin view.
    public func owner(_ t: MetadataTarget, admin: Bool) -> String {
        switch t {
        case .org(let id): admin ? adminOrg(id) : org(id)
        case .vdc(let id): api("vdc/\(id)")
        case .catalog(let id): api((admin ? "admin/" : "") + "catalog/\(id)")
        case .user(let id): user(id)
        case .task(let id): task(id)
        }
    }

    public func metadata(_ t: MetadataTarget, admin: Bool) -> String { owner(t, admin: admin) + "/metadata" }
}
