/// What `composeVApp` asks for (reference §4.6): a name, and optionally VMs copied from template VMs.
public struct ComposeRequest: Sendable, Equatable {
    public var name: String
    public var description: String
    /// Ids of template VMs (`SourcedItem/Source` hrefs `/api/vAppTemplate/vm-{id}`), in request order.
    public var templateVMIDs: [String]
    public var deploy: Bool
    public var powerOn: Bool

    public init(name: String, description: String = "", templateVMIDs: [String] = [], deploy: Bool = false, powerOn: Bool = false) {
        self.name = name
        self.description = description
        self.templateVMIDs = templateVMIDs
        self.deploy = deploy
        self.powerOn = powerOn
    }
}

extension Store {
    /// `POST /api/vdc/{id}/action/composeVApp`: the vApp (status 0) and its `vdcComposeVapp` task; the scheduler
    /// ends it RESOLVED when empty (vcd-cli's `vcd vapp create NAME`), or with its VMs powered off or on.
    public func compose(vdcID: String, _ r: ComposeRequest, by p: Principal,
                        subject: @Sendable (String, String) -> Reference) throws(DomainError) -> (VApp, CloudTask) {
        guard !r.name.isEmpty else { throw .badRequest("The ComposeVAppParams attribute \"name\" is required.") }
        let (org, vdc) = try item(.vdc, vdcID, for: p)
        var sources: [VirtualMachine] = []
        for id in r.templateVMIDs {
            let (sourceOrg, _, vm) = try templateVM(id, for: p)
            // Another org's template is not this vdc's to use, even for a system administrator.
            guard sourceOrg.id == org.id else { throw .noAccess("vm", id) }
            sources.append(vm)
        }
        return try createVApp(.compose(deploy: r.deploy, powerOn: r.powerOn, withVMs: !sources.isEmpty), name: r.name,
                              description: r.description, org: org, vdc: vdc, vmsFrom: sources, by: p, subject: subject)
    }
}
