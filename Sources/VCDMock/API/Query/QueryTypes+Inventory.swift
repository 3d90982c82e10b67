import VCDCore
import VCDXML

/// Orgs, users, vdcs, catalogs and org networks as query records (attributes from the 5.5 schema's
/// QueryResult*RecordType; counts and quotas the mock does not model are 0).
enum InventoryQueryTypes {
    static let organization = RecordType<Org>(
        name: "organization", record: "OrgRecord", reference: "Organization", entityType: MediaType.org,
        access: .everyone, source: .orgs, rows: { $0.orgs }, link: { .org($0.id) }, label: { $0.name },
        attributes: [
            .string("name") { $0.name },
            .string("displayName") { $0.fullName },
            .string("description") { $0.description.isEmpty ? nil : $0.description },
            .bool("isEnabled") { $0.enabled },
            .constant("isReadOnly", .bool(false)),
            .constant("canPublishCatalogs", .bool(false)),
            .constant("deployedVMQuota", .int(0)),
            .constant("storedVMQuota", .int(0)),
            .int("numberOfCatalogs") { $0.catalogs.count },
            .int("numberOfVdcs") { $0.vdcs.count },
            .constant("numberOfVApps", .int(0)),
            .constant("numberOfGroups", .int(0)),
            .constant("numberOfDisks", .int(0)),
        ])

    static func users(_ s: QuerySnapshot) -> [InOrg<User>] {
        s.orgs.flatMap { org in org.users.map { InOrg(value: $0, orgID: org.id, orgName: org.name) } }
    }

    static func user(admin: Bool) -> RecordType<InOrg<User>> {
        var attributes: [QueryAttribute<InOrg<User>>] = [
            .string("name") { $0.value.name },
            .string("fullName") { $0.value.fullName.isEmpty ? nil : $0.value.fullName },
            .string("email") { $0.value.email.isEmpty ? nil : $0.value.email },
            .string("roleName") { $0.value.role.displayName },
            .constant("isEnabled", .bool(true)),
            .constant("isLdapUser", .bool(false)),
            .constant("numberOfDeployedVMs", .int(0)),
            .constant("deployedVMQuota", .int(0)),
            .constant("numberOfStoredVMs", .int(0)),
            .constant("storedVMQuota", .int(0)),
        ]
        if admin {
            attributes.insert(.link("org") { .org($0.orgID) }, at: 1)
            attributes.insert(.string("orgName") { $0.orgName }, at: 2)
        }
        return RecordType(name: admin ? "adminUser" : "user", record: admin ? "AdminUserRecord" : "UserRecord",
                          reference: admin ? "AdminUser" : "User", entityType: MediaType.user,
                          access: admin ? .sysadmin : .everyone, source: .orgs, rows: users,
                          link: { .user($0.value.id) }, label: { $0.value.name }, attributes: attributes)
    }

    static func items(_ kind: InventoryItem.Kind) -> @Sendable (QuerySnapshot) -> [InOrg<InventoryItem>] {
        { s in s.orgs.flatMap { org in org.items(kind).map { InOrg(value: $0, orgID: org.id, orgName: org.name) } } }
    }

    /// Attributes every inventory record shares: name, description, its org.
    static func common(admin: Bool) -> [QueryAttribute<InOrg<InventoryItem>>] {
        [
            .string("name") { $0.value.name },
            .string("description") { $0.value.description.isEmpty ? nil : $0.value.description },
            .link("org") { .org($0.orgID) },
            .string("orgName") { $0.orgName },
        ]
    }

    static func catalog(admin: Bool) -> RecordType<InOrg<InventoryItem>> {
        RecordType(name: admin ? "adminCatalog" : "catalog", record: admin ? "AdminCatalogRecord" : "CatalogRecord",
                   reference: admin ? "AdminCatalog" : "Catalog", entityType: admin ? MediaType.adminCatalog : MediaType.catalog,
                   access: admin ? .sysadmin : .everyone, source: .orgs, rows: items(.catalog),
                   link: { .catalog($0.value.id, admin: admin) }, label: { $0.value.name },
                   attributes: common(admin: admin) + [
                       .constant("isPublished", .bool(false)),
                       .constant("isShared", .bool(false)),
                       .constant(admin ? "numberOfTemplates" : "numberOfVAppTemplates", .int(0)),
                       .constant("numberOfMedia", .int(0)),
                   ])
    }

    /// `vdc` is the name the Org's query link uses at API 33+ (pyvcloud `Org.list_vdcs`); same records.
    static func vdc(admin: Bool, name: String? = nil) -> RecordType<InOrg<InventoryItem>> {
        RecordType(name: name ?? (admin ? "adminOrgVdc" : "orgVdc"), record: admin ? "AdminVdcRecord" : "OrgVdcRecord",
                   reference: admin ? "AdminVdc" : "OrgVdc", entityType: MediaType.vdc,
                   access: admin ? .sysadmin : .everyone, source: .orgs, rows: items(.vdc),
                   link: { .vdc($0.value.id) }, label: { $0.value.name },
                   attributes: common(admin: admin) + [
                       .constant("isEnabled", .bool(true)),
                       .constant("isBusy", .bool(false)),
                       .constant("isSystemVdc", .bool(false)),
                       .constant("cpuAllocationMhz", .int(0)),
                       .constant("cpuLimitMhz", .int(0)),
                       .constant("cpuUsedMhz", .int(0)),
                       .constant("memoryAllocationMB", .int(0)),
                       .constant("memoryLimitMB", .int(0)),
                       .constant("memoryUsedMB", .int(0)),
                       .constant("storageLimitMB", .int(0)),
                       .constant("storageUsedMB", .int(0)),
                       .constant("numberOfVApps", .int(0)),
                       .constant("numberOfMedia", .int(0)),
                       .constant("numberOfVAppTemplates", .int(0)),
                   ])
    }

    /// The mock's three roles, in each org in scope (`GET /api/admin/role/{slug}` serves each).
    static func role(admin: Bool) -> RecordType<InOrg<Role>> {
        RecordType(name: admin ? "adminRole" : "role", record: admin ? "AdminRoleRecord" : "RoleRecord",
                   reference: admin ? "AdminRole" : "Role", entityType: RoleDocument.mediaType,
                   access: admin ? .sysadmin : .orgAdministrators, source: .orgs,
                   rows: { s in s.orgs.flatMap { org in Role.allCases.map { InOrg(value: $0, orgID: org.id, orgName: org.name) } } },
                   link: { .role($0.value.slug) }, label: { $0.value.displayName },
                   attributes: [
                       .string("name") { $0.value.displayName },
                       .constant("isReadOnly", .bool(true)),
                       .link("org") { .org($0.orgID) },
                       .string("orgName") { $0.orgName },
                   ])
    }

    static func network(admin: Bool) -> RecordType<InOrg<InventoryItem>> {
        RecordType(name: admin ? "adminOrgNetwork" : "orgNetwork", record: admin ? "AdminOrgNetworkRecord" : "OrgNetworkRecord",
                   reference: admin ? "AdminOrgNetwork" : "OrgNetwork",
                   entityType: admin ? MediaType.adminOrgNetwork : MediaType.orgNetwork,
                   access: admin ? .sysadmin : .everyone, source: .orgs, rows: items(.network),
                   link: { .network($0.value.id, admin: admin) }, label: { $0.value.name },
                   attributes: common(admin: admin) + [
                       .constant("isBusy", .bool(false)),
                       .constant("isIpScopeInherited", .bool(false)),
                   ])
    }
}
