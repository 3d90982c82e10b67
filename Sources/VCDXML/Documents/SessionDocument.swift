import VCDCore

/// `SupportedVersions` (reference §2.1) and `Session` (§2.2).
public enum SessionDocument {
    public static func versions(_ versions: [String], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("SupportedVersions", namespace: Namespace.versions)
        for version in versions {
            w.start("VersionInfo")
            w.attribute("deprecated", "false")
            w.element("Version", version)
            w.element("LoginUrl", hrefs.sessions)
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// One link per (rel, type): pyvcloud raises MultipleLinksException otherwise.
    public static func session(_ p: Principal, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("Session")
        w.attribute("href", hrefs.session)
        w.attribute("type", MediaType.session)
        w.attribute("user", p.user.name)
        w.attribute("org", p.orgName)
        w.attribute("userId", urn("user", p.user.id))
        w.link(rel: "down", type: MediaType.orgList, href: hrefs.orgList)
        w.link(rel: "remove", type: nil, href: hrefs.session)
        if p.isSysadmin || p.user.role == .orgAdministrator {
            w.link(rel: "down", type: MediaType.vcloud, href: hrefs.admin)
        }
        if p.isSysadmin {
            w.link(rel: "down", type: MediaType.vmwExtension, href: hrefs.api("admin/extension"))
        }
        w.link(rel: "down", type: MediaType.org, href: hrefs.org(p.orgID), name: p.orgName)
        if p.isSysadmin {
            w.link(rel: "down", type: MediaType.queryList, href: hrefs.api("query"))
        }
        w.link(rel: "entityResolver", type: MediaType.entity, href: hrefs.entityResolver)
        w.end()
        return w.finish()
    }
}
