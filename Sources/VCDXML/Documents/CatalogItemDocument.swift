import VCDCore

/// Vdc (with ResourceEntities), Catalog (with its items), CatalogItem and VAppTemplate (vapps reference §2, §3).
public enum CatalogItemDocument {
    public static func vdc(_ vdc: InventoryItem, org: Org, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.entityRoot("Vdc", href: hrefs.vdc(vdc.id), type: MediaType.vdc, kind: "vdc", id: vdc.id, name: vdc.name)
        w.attribute("status", "1")
        w.link(rel: "up", type: MediaType.org, href: hrefs.org(org.id))
        w.link(rel: "add", type: MediaType.instantiateParams, href: hrefs.vdc(vdc.id) + "/action/instantiateVAppTemplate")
        w.link(rel: "add", type: MediaType.composeParams, href: hrefs.vdc(vdc.id) + "/action/composeVApp")
        w.link(rel: "down", type: MediaType.metadata, href: hrefs.metadata(.vdc(vdc.id), admin: false))
        w.description(vdc.description)
        InventoryDocument.vdcCapacity(w)
        w.start("ResourceEntities")
        // Templates live in the org's first vdc; vApps in theirs, including those still being created.
        if org.vdcs.first?.id == vdc.id {
            for item in org.catalogItems {
                w.reference("ResourceEntity", href: hrefs.template(item.templateID), type: MediaType.vAppTemplate, name: item.name)
            }
        }
        for vapp in org.vapps where vapp.vdcID == vdc.id {
            w.reference("ResourceEntity", href: hrefs.vapp(vapp.id), type: MediaType.vApp, name: vapp.name)
        }
        w.end()
        w.start("AvailableNetworks")
        for net in org.networks { w.reference("Network", href: hrefs.item(net), type: MediaType.network, name: net.name) }
        w.end()
        InventoryDocument.vdcQuotas(w)
        w.end()
        return w.finish()
    }

    public static func catalog(_ catalog: InventoryItem, org: Org, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.entityRoot("Catalog", href: hrefs.catalog(catalog.id), type: MediaType.catalog, kind: "catalog", id: catalog.id,
                     name: catalog.name)
        w.link(rel: "up", type: MediaType.org, href: hrefs.org(org.id))
        w.link(rel: "down", type: MediaType.metadata, href: hrefs.metadata(.catalog(catalog.id), admin: false))
        w.description(catalog.description)
        w.start("CatalogItems")  // always present: pyvcloud reads it unconditionally
        for item in org.catalogItems where item.catalogID == catalog.id {
            w.start("CatalogItem")
            w.attribute("type", MediaType.catalogItem)
            w.attribute("name", item.name)
            w.attribute("id", item.id)
            w.attribute("href", hrefs.catalogItem(item.id))
            w.end()
        }
        w.end()
        w.element("IsPublished", "false")
        w.end()
        return w.finish()
    }

    public static func catalogItem(_ item: CatalogItem, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("CatalogItem")
        w.attribute("size", "0")
        w.attribute("href", hrefs.catalogItem(item.id))
        w.attribute("type", MediaType.catalogItem)
        w.attribute("id", urn("catalogitem", item.id))
        w.attribute("name", item.name)
        w.link(rel: "up", type: MediaType.catalog, href: hrefs.catalog(item.catalogID))
        w.description(item.description)
        w.reference("Entity", href: hrefs.template(item.templateID), type: MediaType.vAppTemplate, name: item.name)
        w.end()
        return w.finish()
    }

    public static func template(_ item: CatalogItem, org: Org, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("VAppTemplate")
        w.attribute("xmlns:ovf", Namespace.ovf)
        w.attribute("xmlns:rasd", Namespace.rasd)
        w.attribute("ovfDescriptorUploaded", "true")
        w.attribute("goldMaster", "false")
        w.attribute("status", "8")
        w.attribute("name", item.name)
        w.attribute("id", urn("vapptemplate", item.templateID))
        w.attribute("type", MediaType.vAppTemplate)
        w.attribute("href", hrefs.template(item.templateID))
        if let vdc = org.vdcs.first { w.link(rel: "up", type: MediaType.vdc, href: hrefs.vdc(vdc.id)) }
        w.link(rel: "catalogItem", type: MediaType.catalogItem, href: hrefs.catalogItem(item.id))
        w.description(item.description)
        w.start("Children")
        for vm in item.vms { templateVM(vm, item: item, w: w, hrefs: hrefs, root: false) }
        w.end()
        w.end()
        return w.finish()
    }

    public static func templateVM(_ vm: VirtualMachine, item: CatalogItem, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        templateVM(vm, item: item, w: w, hrefs: hrefs, root: true)
        return w.finish()
    }

    static func templateVM(_ vm: VirtualMachine, item: CatalogItem, w: XMLWriter, hrefs: Hrefs, root: Bool) {
        if root {
            w.root("Vm")
            w.attribute("xmlns:ovf", Namespace.ovf)
            w.attribute("xmlns:rasd", Namespace.rasd)
        } else {
            w.start("Vm")
        }
        w.attribute("goldMaster", "false")
        w.attribute("status", "8")
        w.attribute("name", vm.name)
        w.attribute("id", urn("vm", vm.id))
        w.attribute("type", MediaType.vm)
        w.attribute("href", hrefs.templateVM(vm.id))
        w.link(rel: "up", type: MediaType.vAppTemplate, href: hrefs.template(item.templateID))
        VAppDocument.hardware(vm, w: w, href: hrefs.templateVM(vm.id))
        w.start("NetworkConnectionSection")
        w.attribute("ovf:required", "false")
        w.element("ovf:Info", "Specifies the available VM network connections")
        w.element("PrimaryNetworkConnectionIndex", "0")
        w.end()
        w.element("VAppScopedLocalId", vm.name)
        w.end()
    }
}
