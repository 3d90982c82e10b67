import VCDCore

/// Media types, namespaces and hrefs of vApps, VMs, templates and catalog items (vapps reference §1.1–1.3).
extension MediaType {
    public static let vApp = "application/vnd.vmware.vcloud.vApp+xml"
    public static let vm = "application/vnd.vmware.vcloud.vm+xml"
    public static let vAppTemplate = "application/vnd.vmware.vcloud.vAppTemplate+xml"
    public static let catalogItem = "application/vnd.vmware.vcloud.catalogItem+xml"
    public static let instantiateParams = "application/vnd.vmware.vcloud.instantiateVAppTemplateParams+xml"
    public static let composeParams = "application/vnd.vmware.vcloud.composeVAppParams+xml"
    public static let deployParams = "application/vnd.vmware.vcloud.deployVAppParams+xml"
    public static let undeployParams = "application/vnd.vmware.vcloud.undeployVAppParams+xml"
    public static let controlAccess = "application/vnd.vmware.vcloud.controlAccess+xml"
    public static let owner = "application/vnd.vmware.vcloud.owner+xml"
    public static let leaseSettings = "application/vnd.vmware.vcloud.leaseSettingsSection+xml"
    public static let rasdItem = "application/vnd.vmware.vcloud.rasdItem+xml"
    public static let network = "application/vnd.vmware.vcloud.network+xml"
}

extension Namespace {
    public static let ovf = "http://schemas.dmtf.org/ovf/envelope/1"
    public static let rasd = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
    public static let vmw = "http://www.vmware.com/schema/ovf"
}

extension Hrefs {
    public func vapp(_ id: String) -> String { api("vApp/vapp-\(id)") }
    public func vm(_ id: String) -> String { api("vApp/vm-\(id)") }
    public func template(_ id: String) -> String { api("vAppTemplate/vappTemplate-\(id)") }
    public func templateVM(_ id: String) -> String { api("vAppTemplate/vm-\(id)") }
    public func catalogItem(_ id: String) -> String { api("catalogItem/\(id)") }
    public func vdc(_ id: String) -> String { api("vdc/\(id)") }
    public func catalog(_ id: String) -> String { api("catalog/\(id)") }
}
