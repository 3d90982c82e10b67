import VCDCore

/// `OrgList` (§3.1), `Org` (§3.2), `VCloud` (§3.3) and `AdminOrg` (§3.4), children in schema order.
public enum OrgDocument {
    public static func orgList(_ orgs: [Org], hrefs: Hrefs) -> [UInt8] {
        orgList(OrgNames(orgs.map { ($0.id, $0.name) }), hrefs: hrefs)
    }

    /// Ids and names are all it needs (`OrgNames`); written straight into one buffer sized for the list,
    /// each href in parts.
    public static func orgList(_ orgs: OrgNames, hrefs: Hrefs) -> [UInt8] {
        var o = XMLOutput(capacity: 256 + orgs.count * (128 + hrefs.base.utf8.count))
        o.start("OrgList")
        o.attribute("xmlns", Namespace.vcloud)
        o.attribute("type", MediaType.orgList)
        o.attribute("href") { $0.href(hrefs, "org/", "") }
        let type = Fragment.attribute("type", MediaType.org), href = Fragment.value { $0.href(hrefs, "org/", "") }
        orgs.forEach { id, name in
            o.start("Org")
            o.markup(type)
            o.attribute("name") { $0.value(utf8: name) }
            o.attribute("href") { $0.fragment(href); $0.value(utf8: id) }
            o.end()
        }
        o.end()
        return o.finish()
    }

    /// From API 33 (`vdcQuery`) the vdcs are reached through one records query link, as pyvcloud 23's
    /// `list_vdcs`/`get_vdc` expect (§9.1); below it, one direct link per vdc.
    public static func org(_ org: Org, hrefs: Hrefs, vdcQuery: Bool = false) -> [UInt8] {
        let w = XMLWriter()
        w.entityRoot("Org", href: hrefs.org(org.id), type: MediaType.org, kind: "org", id: org.id, name: org.name)
        if vdcQuery {
            w.link(rel: "down", type: MediaType.queryRecords, href: hrefs.orgVdcQuery(org.id))
            // pyvcloud 23's get_catalog (and so instantiate_vapp) also goes through a records link from 33.
            w.link(rel: "down", type: MediaType.queryRecords, href: hrefs.api("query?type=catalog&format=records&filter=org==\(hrefs.org(org.id))"))
        } else {
            for vdc in org.vdcs { w.link(rel: "down", type: MediaType.vdc, href: hrefs.item(vdc), name: vdc.name) }
        }
        w.link(rel: "down", type: MediaType.tasksList, href: hrefs.tasksList(org.id))
        for cat in org.catalogs { w.link(rel: "down", type: MediaType.catalog, href: hrefs.item(cat), name: cat.name) }
        for net in org.networks { w.link(rel: "down", type: MediaType.orgNetwork, href: hrefs.item(net), name: net.name) }
        w.link(rel: "down", type: MediaType.metadata, href: hrefs.metadata(org: org.id, admin: false))
        w.description(org.description)
        w.element("FullName", org.fullName)
        w.end()
        return w.finish()
    }

    /// `sysadmin`: the caller may add orgs and sees the System org; org administrators get their own org only.
    public static func vcloud(_ orgs: [Org], hrefs: Hrefs, sysadmin: Bool = true, roles: [Role] = Role.allCases) -> [UInt8] {
        let w = XMLWriter()
        w.root("VCloud")
        w.attribute("href", hrefs.admin)
        w.attribute("type", MediaType.vcloud)
        w.attribute("name", "vCloud")
        if sysadmin { w.link(rel: "add", type: MediaType.adminOrg, href: hrefs.adminOrgs) }
        if sysadmin, let system = orgs.first(where: \.isSystem) {
            w.link(rel: "down", type: MediaType.systemOrg, href: hrefs.adminOrg(system.id), name: system.name)
        }
        w.element("Description", "vcd-mock: a local vCloud Director 5.5 simulator")
        w.start("OrganizationReferences")
        for org in orgs {
            w.reference("OrganizationReference", href: hrefs.adminOrg(org.id), type: MediaType.adminOrg, name: org.name)
        }
        w.end()
        for empty in ["ProviderVdcReferences", "RightReferences"] {
            w.start(empty)
            w.end()
        }
        w.start("RoleReferences")
        for role in roles { w.reference("RoleReference", href: hrefs.role(role.id), type: MediaType.role, name: role.displayName) }
        w.end()
        w.start("Networks")
        w.end()
        w.end()
        return w.finish()
    }

    /// Org administrators may add users; only system administrators edit, enable/disable and remove orgs.
    public static func adminOrg(_ org: Org, hrefs: Hrefs, sysadmin: Bool = true, vdcQuery: Bool = false) -> [UInt8] {
        let w = XMLWriter()
        w.entityRoot("AdminOrg", href: hrefs.adminOrg(org.id), type: MediaType.adminOrg, kind: "org", id: org.id,
                     name: org.name)
        if vdcQuery { w.link(rel: "down", type: MediaType.queryRecords, href: hrefs.orgVdcQuery(org.id)) }
        w.link(rel: "down", type: MediaType.tasksList, href: hrefs.tasksList(org.id))
        w.link(rel: "task:create", type: MediaType.task, href: hrefs.tasksList(org.id))
        w.link(rel: "event:create", type: MediaType.event, href: hrefs.events(org.id))
        w.link(rel: "down", type: MediaType.metadata, href: hrefs.metadata(org: org.id, admin: true))
        w.link(rel: "add", type: MediaType.user, href: hrefs.orgUsers(org.id))
        if sysadmin {
            w.link(rel: "edit", type: MediaType.adminOrg, href: hrefs.adminOrg(org.id))
            if !org.isSystem {
                w.link(rel: "remove", type: nil, href: hrefs.adminOrg(org.id))
                w.link(rel: org.enabled ? "disable" : "enable", type: nil, href: hrefs.orgAction(org.id, org.enabled ? "disable" : "enable"))
            }
        }
        w.link(rel: "alternate", type: MediaType.org, href: hrefs.org(org.id))
        w.description(org.description)
        w.element("FullName", org.fullName)
        w.element("IsEnabled", org.enabled ? "true" : "false")
        w.start("Settings")
        w.start("OrgGeneralSettings")
        w.element("CanPublishCatalogs", "false")
        w.element("DeployedVMQuota", "0")
        w.element("StoredVmQuota", "0")
        w.element("UseServerBootSequence", "false")
        w.element("DelayAfterPowerOnSeconds", "0")
        w.end()
        w.end()
        w.start("Users")
        for user in org.users {
            w.reference("UserReference", href: hrefs.user(user.id), type: MediaType.user, name: user.name)
        }
        w.end()
        w.start("Groups")
        w.end()
        w.start("Catalogs")
        for cat in org.catalogs {
            w.reference("CatalogReference", href: hrefs.item(cat, admin: true), type: MediaType.adminCatalog, name: cat.name)
        }
        w.end()
        w.start("Vdcs")
        for vdc in org.vdcs { w.reference("Vdc", href: hrefs.item(vdc), type: MediaType.vdc, name: vdc.name) }
        w.end()
        w.start("Networks")
        for net in org.networks {
            w.reference("Network", href: hrefs.item(net, admin: true), type: MediaType.adminOrgNetwork, name: net.name)
        }
        w.end()
        w.end()
        return w.finish()
    }
}
