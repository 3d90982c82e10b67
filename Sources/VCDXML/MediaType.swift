/// vCloud API media types (reference §1.2), without the `;version=` suffix.
public enum MediaType {
    public static let session = "application/vnd.vmware.vcloud.session+xml"
    public static let orgList = "application/vnd.vmware.vcloud.orgList+xml"
    public static let org = "application/vnd.vmware.vcloud.org+xml"
    public static let adminOrg = "application/vnd.vmware.admin.organization+xml"
    public static let systemOrg = "application/vnd.vmware.admin.systemOrganization+xml"
    public static let vcloud = "application/vnd.vmware.admin.vcloud+xml"
    public static let tasksList = "application/vnd.vmware.vcloud.tasksList+xml"
    public static let task = "application/vnd.vmware.vcloud.task+xml"
    public static let error = "application/vnd.vmware.vcloud.error+xml"
    public static let user = "application/vnd.vmware.admin.user+xml"
    public static let vdc = "application/vnd.vmware.vcloud.vdc+xml"
    public static let catalog = "application/vnd.vmware.vcloud.catalog+xml"
    public static let adminCatalog = "application/vnd.vmware.admin.catalog+xml"
    public static let orgNetwork = "application/vnd.vmware.vcloud.orgNetwork+xml"
    public static let adminOrgNetwork = "application/vnd.vmware.admin.orgNetwork+xml"
    public static let metadata = "application/vnd.vmware.vcloud.metadata+xml"
    public static let queryList = "application/vnd.vmware.vcloud.query.queryList+xml"
    public static let queryRecords = "application/vnd.vmware.vcloud.query.records+xml"
    public static let queryIDRecords = "application/vnd.vmware.vcloud.query.idrecords+xml"
    public static let queryReferences = "application/vnd.vmware.vcloud.query.references+xml"
    public static let vmwExtension = "application/vnd.vmware.admin.vmwExtension+xml"
    public static let event = "application/vnd.vmware.vcloud.event+xml"
    public static let adminEvent = "application/vnd.vmware.admin.event+xml"
    public static let versions = "application/xml"
    /// The wildcard VMware uses on bodiless answers such as 204.
    public static let any = "application/*+xml"
}

public enum Namespace {
    public static let vcloud = "http://www.vmware.com/vcloud/v1.5"
    public static let vmext = "http://www.vmware.com/vcloud/extension/v1.5"
    public static let versions = "http://www.vmware.com/vcloud/versions"
    public static let xsi = "http://www.w3.org/2001/XMLSchema-instance"
}
