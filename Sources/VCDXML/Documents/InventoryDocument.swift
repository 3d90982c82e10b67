import VCDCore

/// Minimal but schema-valid vdcs, catalogs, org networks, users and metadata, so every href resolves.
public enum InventoryDocument {
    public static func item(_ item: InventoryItem, org: Org, admin: Bool, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        let (element, type, kind) = names(item.kind, admin: admin)
        w.entityRoot(element, href: hrefs.item(item, admin: admin), type: type, kind: kind, id: item.id, name: item.name)
        if item.kind == .vdc { w.attribute("status", "1") }
        w.link(rel: "up", type: admin ? MediaType.adminOrg : MediaType.org,
               href: admin ? hrefs.adminOrg(org.id) : hrefs.org(org.id))
        if admin { w.link(rel: "alternate", type: names(item.kind, admin: false).1, href: hrefs.item(item)) }
        if let target = metadataTarget(item) {
            w.link(rel: "down", type: MediaType.metadata, href: hrefs.metadata(target, admin: admin))
        }
        w.description(item.description)
        switch item.kind {
        case .vdc: vdcBody(w)
        case .catalog:
            w.start("CatalogItems")
            w.end()
            w.element("IsPublished", "false")
        case .network:
            w.start("Configuration")
            w.element("FenceMode", "isolated")
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// Vdcs and catalogs carry metadata; org networks do not (yet).
    public static func metadataTarget(_ item: InventoryItem) -> MetadataTarget? {
        switch item.kind {
        case .vdc: .vdc(item.id)
        case .catalog: .catalog(item.id)
        case .network: nil
        }
    }

    public static func names(_ kind: InventoryItem.Kind, admin: Bool) -> (String, String, String) {
        switch (kind, admin) {
        case (.vdc, _): ("Vdc", MediaType.vdc, "vdc")
        case (.catalog, false): ("Catalog", MediaType.catalog, "catalog")
        case (.catalog, true): ("AdminCatalog", MediaType.adminCatalog, "catalog")
        case (.network, false): ("OrgNetwork", MediaType.orgNetwork, "network")
        case (.network, true): ("OrgNetwork", MediaType.adminOrgNetwork, "network")
        }
    }

    static func vdcBody(_ w: XMLWriter) {
        vdcCapacity(w)
        vdcQuotas(w)
    }

    /// A vdc's allocation model and (zero) compute capacity, before its resource entities.
    static func vdcCapacity(_ w: XMLWriter) {
        w.element("AllocationModel", "AllocationVApp")
        w.start("ComputeCapacity")
        for (name, units) in [("Cpu", "MHz"), ("Memory", "MB")] {
            w.start(name)
            w.element("Units", units)
            for field in ["Allocated", "Limit", "Reserved", "Used"] { w.element(field, "0") }
            w.end()
        }
        w.end()
    }

    /// A vdc's (zero) quotas and IsEnabled, after its networks.
    static func vdcQuotas(_ w: XMLWriter) {
        w.element("NicQuota", "0")
        w.element("NetworkQuota", "0")
        w.element("VmQuota", "0")
        w.element("IsEnabled", "true")
    }

    /// The extension root (§5.1), with links only to what this mock serves (no vSphere inventory).
    public static func vmwExtension(hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.start("vmext:VMWExtension")
        w.attribute("xmlns", Namespace.vcloud)
        w.attribute("xmlns:vmext", Namespace.vmext)
        w.attribute("href", hrefs.api("admin/extension"))
        w.attribute("type", MediaType.vmwExtension)
        w.link(rel: "down", type: MediaType.extensionServices, href: ServiceDocument.listHref(hrefs))
        w.link(rel: "down", type: MediaType.systemSettings, href: SystemSettingsDocument.href(hrefs))
        w.link(rel: "down", type: MediaType.blockingTaskList, href: BlockingTaskDocument.listHref(hrefs))
        w.end()
        return w.finish()
    }
}
