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
        let now = clock.now()
        let vappID = ids.uuid(), taskID = ids.uuid(), eventID = ids.uuid()
        let vmIDs = sources.map { _ in ids.uuid() }
        let action = VAppAction.compose(deploy: r.deploy, powerOn: r.powerOn, withVMs: !sources.isEmpty)
        let ref = subject(vappID, r.name)
        let result = try mutate { s throws(DomainError) -> (VApp, CloudTask) in
            guard let current = s.orgs[org.id], current.vdcs.contains(where: { $0.id == vdc.id }) else { throw .noAccess("vdc", vdcID) }
            if current.vapps.contains(where: { $0.vdcID == vdc.id && $0.name == r.name }) {
                throw .badRequest("The VCD entity \(r.name) already exists.")
            }
            var vapp = VApp(id: vappID, vdcID: vdc.id, name: r.name, description: r.description, ownerID: p.user.id,
                            created: now, ownStatus: .unresolved)
            vapp.vms = zip(sources, vmIDs).map { vm, id in
                VirtualMachine(id: id, name: vm.name, osType: vm.osType, cpus: vm.cpus, memoryMB: vm.memoryMB,
                               status: .unresolved, deployed: false)
            }
            let task = s.startOperation(action, id: taskID, org: current, vapp: &vapp, vmID: nil, subject: ref, by: p,
                                        now: now, behaviour: work.behaviour(action.operationName), kind: "Virtual Application",
                                        eventID: eventID, settings: settings)
            s.orgs[org.id]?.vapps.append(vapp)
            s.vappOrg[vappID] = org.id
            return (vapp, task)
        }
        schedule(result.1)
        return result
    }
}
