import VCDCore
import VCDXML

/// vApp templates and the catalog items holding them as query records (vapps reference §7; attributes from
/// the 5.5 QueryResultVAppTemplateRecordType and QueryResultCatalogItemRecordType). The mock has one template
/// per item, kept in the org's first vdc (as the Vdc's ResourceEntities show it), owned by no tenant user:
/// `ownerName` is "system" and `owner` is absent, as for templates a system administrator uploaded. Templates
/// carry no creation time, so `creationDate` is absent (filters and sorts on it still work).
enum TemplateQueryTypes {
    struct Row: Sendable {
        let item: CatalogItem
        let catalogName: String
        let vdcID: String?
        let vdcName: String?
    }

    static func rows(_ s: QuerySnapshot) -> [InOrg<Row>] {
        s.orgs.flatMap { org in
            let vdc = org.vdcs.first
            return org.catalogItems.map { item in
                InOrg(value: Row(item: item, catalogName: org.catalogs.first { $0.id == item.catalogID }?.name ?? "",
                                 vdcID: vdc?.id, vdcName: vdc?.name),
                      orgID: org.id, orgName: org.name)
            }
        }
    }

    /// What a usable template shows in queries: `RESOLVED` (its document's status is 8).
    static let ready = "RESOLVED"

    /// Attributes both record kinds share.
    static func common() -> [QueryAttribute<InOrg<Row>>] {
        [
            .string("name") { $0.value.item.name },
            .string("catalogName") { $0.value.catalogName },
            .link("vdc") { r in r.value.vdcID.map { .vdc($0) } },
            .string("vdcName") { $0.value.vdcName },
            .string("ownerName") { _ in "system" },
            .bool("isPublished") { _ in false },
            .date("creationDate") { _ in nil },
            .bool("isExpired") { _ in false },
            .string("status") { _ in ready },
        ]
    }

    static func template(admin: Bool) -> RecordType<InOrg<Row>> {
        var attributes = common() + [
            .link("org") { .org($0.orgID) },
            .string("description") { $0.value.item.description.isEmpty ? nil : $0.value.item.description },
            .bool("isBusy") { _ in false },
            .bool("isGoldMaster") { _ in false },
            .bool("isEnabled") { _ in true },
            .bool("isDeployed") { _ in false },
        ]
        if admin {
            attributes += [
                .bool("isVdcEnabled") { _ in true },
                .link("owner") { _ in nil },
                .link("catalog") { .catalog($0.value.item.catalogID, admin: false) },
                .link("catalogItem") { .catalogItem($0.value.item.id) },
            ]
        }
        return RecordType(name: admin ? "adminVAppTemplate" : "vAppTemplate",
                          record: admin ? "AdminVAppTemplateRecord" : "VAppTemplateRecord",
                          reference: admin ? "AdminVAppTemplate" : "VAppTemplate", entityType: MediaType.vAppTemplate,
                          access: admin ? .sysadmin : .everyone, source: .orgs, rows: rows,
                          link: { .template($0.value.item.templateID) }, label: { $0.value.item.name }, attributes: attributes)
    }

    /// `entityType` is `vapptemplate`: every item of the mock holds a template (no media).
    static func catalogItem(admin: Bool) -> RecordType<InOrg<Row>> {
        var attributes = common() + [
            .link("entity") { .template($0.value.item.templateID) },
            .string("entityName") { $0.value.item.name },
            .string("entityType") { _ in "vapptemplate" },
            .link("owner") { _ in nil },
            .link("catalog") { .catalog($0.value.item.catalogID, admin: false) },
            .bool("isVdcEnabled") { _ in true },
        ]
        if admin { attributes.append(.link("org") { .org($0.orgID) }) }
        return RecordType(name: admin ? "adminCatalogItem" : "catalogItem",
                          record: admin ? "AdminCatalogItemRecord" : "CatalogItemRecord",
                          reference: admin ? "AdminCatalogItem" : "CatalogItem", entityType: MediaType.catalogItem,
                          access: admin ? .sysadmin : .everyone, source: .orgs, rows: rows,
                          link: { .catalogItem($0.value.item.id) }, label: { $0.value.item.name }, attributes: attributes)
    }
}
