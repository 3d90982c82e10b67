import VCDCore

/// `VApp` and `Vm` with the links legal in their state (vapps reference §5), and the bodies clients post.
public enum VAppDocument {
    public static func vapp(_ vapp: VApp, org: Org, tasks: [CloudTask], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("VApp")
        w.attribute("xmlns:ovf", Namespace.ovf)
        w.attribute("xmlns:rasd", Namespace.rasd)
        w.attribute("xmlns:vmw", Namespace.vmw)
        w.attribute("ovfDescriptorUploaded", "true")
        w.attribute("deployed", vapp.deployed ? "true" : "false")
        w.attribute("status", String(vapp.status.rawValue))
        w.attribute("name", vapp.name)
        w.attribute("id", urn("vapp", vapp.id))
        w.attribute("type", MediaType.vApp)
        w.attribute("href", hrefs.vapp(vapp.id))
        let href = hrefs.vapp(vapp.id)
        if vapp.busyTaskID == nil {
            actionLinks(VAppRules.legalActions(status: vapp.status, deployed: vapp.deployed), href: href, w: w)
            w.link(rel: "edit", type: MediaType.vApp, href: href)
        }
        w.link(rel: "down", type: MediaType.controlAccess, href: href + "/controlAccess/")
        w.link(rel: "up", type: MediaType.vdc, href: hrefs.vdc(vapp.vdcID))
        w.link(rel: "down", type: MediaType.owner, href: href + "/owner")
        w.link(rel: "down", type: MediaType.metadata, href: href + "/metadata")
        w.description(vapp.description)
        if !tasks.isEmpty {
            w.start("Tasks")
            for t in tasks { TaskDocument.write(t, to: w, hrefs: hrefs, root: false) }
            w.end()
        }
        w.start("LeaseSettingsSection")
        w.attribute("ovf:required", "false")
        w.element("ovf:Info", "Lease settings section")
        w.element("DeploymentLeaseInSeconds", "0")
        w.element("StorageLeaseInSeconds", "0")
        w.end()
        w.element("DateCreated", vapp.created.iso8601)
        owner(vapp, org: org, w: w, hrefs: hrefs)
        w.element("InMaintenanceMode", "false")
        if !vapp.vms.isEmpty {
            w.start("Children")
            for vm in vapp.vms { self.vm(vm, vapp: vapp, w: w, hrefs: hrefs, root: false) }
            w.end()
        }
        w.end()
        return w.finish()
    }

    public static func vm(_ vm: VirtualMachine, vapp: VApp, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        self.vm(vm, vapp: vapp, w: w, hrefs: hrefs, root: true)
        return w.finish()
    }

    static func vm(_ vm: VirtualMachine, vapp: VApp, w: XMLWriter, hrefs: Hrefs, root: Bool) {
        if root {
            w.root("Vm")
            w.attribute("xmlns:ovf", Namespace.ovf)
            w.attribute("xmlns:rasd", Namespace.rasd)
            w.attribute("xmlns:vmw", Namespace.vmw)
        } else {
            w.start("Vm")
        }
        let href = hrefs.vm(vm.id)
        w.attribute("needsCustomization", "false")
        w.attribute("deployed", vm.deployed ? "true" : "false")
        w.attribute("status", String(vm.status.rawValue))
        w.attribute("name", vm.name)
        w.attribute("id", urn("vm", vm.id))
        w.attribute("type", MediaType.vm)
        w.attribute("href", href)
        if vapp.busyTaskID == nil {
            // A deployed VM has no deploy link, unlike its vApp (§5.4).
            let actions = VAppRules.legalActions(status: vm.status, deployed: vm.deployed)
                .filter { !(vm.deployed && $0.rel == "deploy") }
            actionLinks(actions, href: href, w: w)
        }
        w.link(rel: "up", type: MediaType.vApp, href: hrefs.vapp(vapp.id))
        w.link(rel: "down", type: MediaType.metadata, href: href + "/metadata")
        hardware(vm, w: w, href: href)
        w.start("ovf:OperatingSystemSection")
        w.attribute("vmw:osType", vm.osType)
        w.element("ovf:Info", "Specifies the operating system installed")
        w.end()
        w.start("NetworkConnectionSection")
        w.attribute("ovf:required", "false")
        w.element("ovf:Info", "Specifies the available VM network connections")
        w.element("PrimaryNetworkConnectionIndex", "0")
        w.end()
        w.start("GuestCustomizationSection")
        w.attribute("ovf:required", "false")
        w.element("ovf:Info", "Specifies Guest OS Customization Settings")
        w.element("Enabled", "false")
        w.element("ComputerName", vm.name)  // pyvcloud reads it unconditionally
        w.end()
        w.element("VAppScopedLocalId", vm.name)
        w.end()
    }

    /// CPU and memory as OVF items (rasd children in alphabetical order, as vCD prints them). Sections carry
    /// no hrefs: the mock serves no section sub-resources, and no href may dangle.
    static func hardware(_ vm: VirtualMachine, w: XMLWriter, href: String) {
        w.start("ovf:VirtualHardwareSection")
        w.element("ovf:Info", "Virtual hardware requirements")
        for (_, units, description, name, id, type, quantity) in [
            ("cpu", "hertz * 10^6", "Number of Virtual CPUs", "\(vm.cpus) virtual CPU(s)", "4", "3", String(vm.cpus)),
            ("memory", "byte * 2^20", "Memory Size", "\(vm.memoryMB) MB of memory", "5", "4", String(vm.memoryMB)),
        ] {
            w.start("ovf:Item")
            w.element("rasd:AllocationUnits", units)
            w.element("rasd:Description", description)
            w.element("rasd:ElementName", name)
            w.element("rasd:InstanceID", id)
            w.element("rasd:ResourceType", type)
            w.element("rasd:VirtualQuantity", quantity)
            w.end()
        }
        w.end()
    }

    /// Action links: no `type` unless the action takes a body (pyvcloud matches rel and type exactly, §1.4).
    static func actionLinks(_ actions: [VAppAction], href: String, w: XMLWriter) {
        for action in actions {
            switch action {
            case .deploy: w.link(rel: "deploy", type: MediaType.deployParams, href: href + "/action/deploy")
            case .undeploy: w.link(rel: "undeploy", type: MediaType.undeployParams, href: href + "/action/undeploy")
            case .delete: w.link(rel: "remove", type: nil, href: href)
            case .instantiate, .compose: break
            default: w.link(rel: action.rel, type: nil, href: href + "/power/action/" + action.rel.dropFirst("power:".count))
            }
        }
    }

    static func owner(_ vapp: VApp, org: Org, w: XMLWriter, hrefs: Hrefs) {
        w.start("Owner")
        w.attribute("type", MediaType.owner)
        let name = org.users.first { $0.id == vapp.ownerID }?.name ?? vapp.ownerID
        w.reference("User", href: hrefs.user(vapp.ownerID), type: MediaType.user, name: name)
        w.end()
    }

    public static func ownerDocument(_ vapp: VApp, org: Org, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("Owner")
        w.attribute("type", MediaType.owner)
        w.attribute("href", hrefs.vapp(vapp.id) + "/owner")
        w.link(rel: "up", type: MediaType.vApp, href: hrefs.vapp(vapp.id))
        let name = org.users.first { $0.id == vapp.ownerID }?.name ?? vapp.ownerID
        w.reference("User", href: hrefs.user(vapp.ownerID), type: MediaType.user, name: name)
        w.end()
        return w.finish()
    }

    /// No sharing in the mock: `IsSharedToEveryone` false, no settings (what `vcd vapp info` reads, §5.6).
    public static func controlAccess(href: String) -> [UInt8] {
        let w = XMLWriter()
        w.root("ControlAccessParams")
        w.attribute("type", MediaType.controlAccess)
        w.attribute("href", href)
        w.element("IsSharedToEveryone", "false")
        w.end()
        return w.finish()
    }

    /// vApps and VMs carry no metadata in the mock yet: an empty `Metadata`.
    public static func emptyMetadata(href: String, up: String, upType: String) -> [UInt8] {
        let w = XMLWriter()
        w.root("Metadata")
        w.attribute("type", MediaType.metadata)
        w.attribute("href", href)
        w.link(rel: "up", type: upType, href: up)
        w.end()
        return w.finish()
    }

    // MARK: Request bodies

    /// `InstantiateVAppTemplateParams` (lenient: unknown children and foreign attributes are ignored, §1.5).
    /// Returns the request and the template href the client named.
    public static func instantiateParams(_ root: ParsedElement) throws(XMLParseError) -> (name: String, description: String,
                                                                                             source: String, deploy: Bool, powerOn: Bool) {
        try expectRoot(root, "InstantiateVAppTemplateParams")
        guard let name = root["name"], !name.isEmpty else {
            throw XMLParseError(description: "The InstantiateVAppTemplateParams attribute \"name\" is required.")
        }
        guard let source = root.child("Source")?["href"] else {
            throw XMLParseError(description: "InstantiateVAppTemplateParams needs a Source element with the href of a vApp template.")
        }
        return (name, root.child("Description")?.text ?? "", source, try bool(root["deploy"], "deploy"), try bool(root["powerOn"], "powerOn"))
    }

    /// `DeployVAppParams@powerOn` (default true).
    public static func deployParams(_ root: ParsedElement?) throws(XMLParseError) -> Bool {
        guard let root else { return true }
        try expectRoot(root, "DeployVAppParams")
        return root["powerOn"] == nil ? true : try bool(root["powerOn"], "powerOn")
    }

    /// `UndeployVAppParams/UndeployPowerAction` (default powerOff).
    public static func undeployParams(_ root: ParsedElement?) throws(XMLParseError) -> VAppAction.Undeploy {
        guard let root else { return .powerOff }
        try expectRoot(root, "UndeployVAppParams")
        let text = (root.child("UndeployPowerAction")?.text ?? "").trimmed
        if text.isEmpty { return .powerOff }
        guard let action = VAppAction.Undeploy(rawValue: text) else {
            let allowed = VAppAction.Undeploy.allCases.map(\.rawValue).joined(separator: ", ")
            throw XMLParseError(description: "UndeployPowerAction \"\(text)\" is not valid; use one of: \(allowed).")
        }
        return action
    }

    static func bool(_ value: String?, _ name: String) throws(XMLParseError) -> Bool {
        switch value?.lowercased() {
        case nil: return false
        case "true", "1": return true
        case "false", "0": return false
        default: throw XMLParseError(description: "The attribute \"\(name)\" must be true or false, not \"\(value ?? "")\".")
        }
    }
}
