import VCDCore

/// `SupportedVersions` (reference §2.1) and `Session` (§2.2, §9).
public enum SessionDocument {
    /// One `VersionInfo` per version, none deprecated. Only 5.5 lists its media types (as a 10.x cell
    /// does); from 36.0 the login URL is the cloudapi one and the provider login URL is added.
    public static func versions(_ versions: [String], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("SupportedVersions", namespace: Namespace.versions)
        for version in versions {
            w.start("VersionInfo")
            w.attribute("deprecated", "false")
            w.element("Version", version)
            if APIVersion.advertisesCloudAPILogin(version) {
                w.element("LoginUrl", hrefs.cloudAPISessions)
                w.element("ProviderLoginUrl", hrefs.providerSessions)
            } else {
                w.element("LoginUrl", hrefs.sessions)
            }
            if version == "5.5" {
                for (type, complexType, schema) in mediaTypeMappings {
                    w.start("MediaTypeMapping")
                    w.element("MediaType", type)
                    w.element("ComplexTypeName", complexType)
                    w.element("SchemaLocation", hrefs.schema(schema))
                    w.end()
                }
            }
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// The media types this mock serves, with their schema types and files (v1.5 schema names).
    static let mediaTypeMappings: [(String, String, String)] = [
        (MediaType.session, "SessionType", "session.xsd"),
        (MediaType.orgList, "OrgListType", "organizationList.xsd"),
        (MediaType.org, "OrgType", "organization.xsd"),
        (MediaType.tasksList, "TasksListType", "tasksList.xsd"),
        (MediaType.task, "TaskType", "task.xsd"),
        (MediaType.error, "ErrorType", "common.xsd"),
        (MediaType.vdc, "VdcType", "vdc.xsd"),
        (MediaType.catalog, "CatalogType", "catalog.xsd"),
        (MediaType.orgNetwork, "OrgNetworkType", "network.xsd"),
        (MediaType.metadata, "MetadataType", "metadata.xsd"),
        (MediaType.queryList, "QueryListType", "queryList.xsd"),
        (MediaType.queryRecords, "QueryResultRecordsType", "queryRecordView.xsd"),
        (MediaType.event, "EventType", "event.xsd"),
        (MediaType.adminOrg, "AdminOrgType", "vcloudEntities.xsd"),
        (MediaType.vcloud, "VCloudType", "vcloudEntities.xsd"),
        (MediaType.user, "UserType", "user.xsd"),
        (MediaType.vmwExtension, "VMWExtensionType", "vmwextensions.xsd"),
    ]

    /// One link per (rel, type): pyvcloud raises MultipleLinksException otherwise. After 5.5 the Session
    /// also carries `roles` and `locationId` (§9).
    public static func session(_ p: Principal, hrefs: Hrefs, version: String = "5.5") -> [UInt8] {
        let w = XMLWriter()
        w.root("Session")
        w.attribute("href", hrefs.session)
        w.attribute("type", MediaType.session)
        w.attribute("user", p.user.name)
        w.attribute("org", p.orgName)
        w.attribute("userId", urn("user", p.user.id))
        if APIVersion.sessionHasRoles(version) {
            w.attribute("roles", p.user.role.displayName)
            w.attribute("locationId", "\(p.orgID)@\(SiteIdentity.id)")
        }
        w.link(rel: "down", type: MediaType.orgList, href: hrefs.orgList)
        w.link(rel: "remove", type: nil, href: hrefs.session)
        if p.isSysadmin {
            w.link(rel: "down", type: MediaType.vcloud, href: hrefs.admin)
            w.link(rel: "down", type: MediaType.vmwExtension, href: hrefs.api("admin/extension"))
        }
        w.link(rel: "down", type: MediaType.org, href: hrefs.org(p.orgID), name: p.orgName)
        // Every user: clients list tasks, catalogs and users through the query service (§7.3).
        w.link(rel: "down", type: MediaType.queryList, href: hrefs.api("query"))
        w.end()
        return w.finish()
    }
}

/// The one simulated site (cell group): named in cloudapi sessions and in the Session's `locationId`.
public enum SiteIdentity {
    public static let name = "vcd-mock"
    public static let id = "5f4a6e1c-0d2b-4c3a-9e8f-7a6b5c4d3e2f"
}
