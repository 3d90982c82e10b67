/// What `instantiateVAppTemplate` asks for (reference §4.1).
public struct InstantiateRequest: Sendable, Equatable {
    public var name: String
    public var description: String
    public var templateID: String
    public var deploy: Bool
    public var powerOn: Bool

    public init(name: String, description: String = "", templateID: String, deploy: Bool = false, powerOn: Bool = false) {
        self.name = name
        self.description = description
        self.templateID = templateID
        self.deploy = deploy
        self.powerOn = powerOn
    }
}

/// A vApp as a reader sees it, with the tasks running on it.
public struct VAppView: Sendable {
    public var org: Org
    public var vapp: VApp
    public var tasks: [CloudTask]
}

/// Templates, vApps and their operations. Every operation returns at once with a queued task; the scheduler
/// finishes it (Store+VAppWork.swift).
extension Store {
    public func catalogItem(_ id: String, for p: Principal) throws(DomainError) -> (Org, CatalogItem) {
        try findItem("catalogitem", id, for: p) { $0.id == id }
    }

    public func template(_ id: String, for p: Principal) throws(DomainError) -> (Org, CatalogItem) {
        try findItem("vapptemplate", id, for: p) { $0.templateID == id }
    }

    /// The template whose VM has this id.
    public func templateVM(_ id: String, for p: Principal) throws(DomainError) -> (Org, CatalogItem, VirtualMachine) {
        let (org, item) = try findItem("vm", id, for: p) { $0.vms.contains { $0.id == id } }
        guard let vm = item.vms.first(where: { $0.id == id }) else { throw .noAccess("vm", id) }
        return (org, item, vm)
    }

    func findItem(_ kind: String, _ id: String, for p: Principal, _ match: (CatalogItem) -> Bool) throws(DomainError) -> (Org, CatalogItem) {
        let found: (Org, CatalogItem)? = state.withLock { s in
            for org in s.orgs.ordered where p.canRead(orgID: org.id) {
                if let item = org.catalogItems.first(where: match) { return (org, item) }
            }
            return nil
        }
        guard let found else { throw .noAccess(kind, id) }
        return found
    }

    public func vapp(_ id: String, for p: Principal) throws(DomainError) -> VAppView {
        let found: VAppView? = state.withLock { s in
            guard let orgID = s.orgID(ofVApp: id), p.canRead(orgID: orgID), let org = s.orgs[orgID],
                  let vapp = org.vapps.first(where: { $0.id == id }) else { return nil }
            return VAppView(org: org, vapp: vapp, tasks: vapp.busyTaskID.flatMap { s.tasks[$0] }.map { [$0] } ?? [])
        }
        guard let found else { throw .noAccess("vapp", id) }
        return found
    }

    /// The vApp holding VM `id`.
    public func vappOfVM(_ id: String, for p: Principal) throws(DomainError) -> VAppView {
        let vappID: String? = state.withLock { s in
            for org in s.orgs.ordered where p.canRead(orgID: org.id) {
                if let v = org.vapps.first(where: { $0.vms.contains { $0.id == id } }) { return v.id }
            }
            return nil
        }
        guard let vappID else { throw .noAccess("vm", id) }
        return try vapp(vappID, for: p)
    }

    /// `POST /api/vdc/{id}/action/instantiateVAppTemplate`: the vApp (status 0, VMs unresolved) and its task.
    public func instantiate(vdcID: String, _ r: InstantiateRequest, by p: Principal,
                            subject: @Sendable (String, String) -> Reference) throws(DomainError) -> (VApp, CloudTask) {
        guard !r.name.isEmpty else { throw .badRequest("The InstantiateVAppTemplateParams attribute \"name\" is required.") }
        let (org, vdc) = try item(.vdc, vdcID, for: p)
        let (_, template) = try self.template(r.templateID, for: p)
        return try createVApp(.instantiate(deploy: r.deploy, powerOn: r.powerOn), name: r.name, description: r.description,
                              org: org, vdc: vdc, vmsFrom: template.vms, by: p, subject: subject)
    }

    /// A new vApp in a vdc (status 0, its VMs copied from template VMs and unresolved) and the task that creates it:
    /// instantiate and compose differ only in the action and where the VMs come from. The task blocks when the
    /// blocking-task settings name its operation.
    func createVApp(_ action: VAppAction, name: String, description: String, org: Org, vdc: InventoryItem,
                    vmsFrom sources: [VirtualMachine], by p: Principal,
                    subject: @Sendable (String, String) -> Reference) throws(DomainError) -> (VApp, CloudTask) {
        let now = clock.now()
        let vappID = ids.uuid(), taskID = ids.uuid(), eventID = ids.uuid()
        let vmIDs = sources.map { _ in ids.uuid() }
        let ref = subject(vappID, name)
        let result = try mutate { s throws(DomainError) -> (VApp, CloudTask) in
            guard let current = s.orgs[org.id], current.vdcs.contains(where: { $0.id == vdc.id }) else { throw .noAccess("vdc", vdc.id) }
            if current.vapps.contains(where: { $0.vdcID == vdc.id && $0.name == name }) {
                throw .badRequest("The VCD entity \(name) already exists.")
            }
            var vapp = VApp(id: vappID, vdcID: vdc.id, name: name, description: description, ownerID: p.user.id,
                            created: now, ownStatus: .unresolved)
            vapp.vms = zip(sources, vmIDs).map { vm, id in
                VirtualMachine(id: id, name: vm.name, osType: vm.osType, cpus: vm.cpus, memoryMB: vm.memoryMB,
                               status: .unresolved, deployed: false)
            }
            var task = s.startOperation(action, id: taskID, org: current, vapp: &vapp, vmID: nil, subject: ref, by: p,
                                        now: now, behaviour: work.behaviour(action.operationName), kind: "Virtual Application",
                                        eventID: eventID, settings: settings)
            s.blockIfNeeded(&task, orgName: current.name, by: p, ids: ids, retention: settings.eventRetention)
            s.orgs[org.id]?.vapps.append(vapp)
            s.vappOrg[vappID] = org.id
            return (vapp, task)
        }
        schedule(result.1)
        return result
    }

    /// A power action, deploy, undeploy or delete on a vApp, or on one VM when `vmID` is given.
    public func act(_ action: VAppAction, vappID: String, vmID: String? = nil, by p: Principal,
                    subject: Reference) throws(DomainError) -> CloudTask {
        let now = clock.now()
        let taskID = ids.uuid(), eventID = ids.uuid()
        let task = try mutate { s throws(DomainError) -> CloudTask in
            guard let orgID = s.orgID(ofVApp: vappID), p.canRead(orgID: orgID), let org = s.orgs[orgID],
                  let index = org.vapps.firstIndex(where: { $0.id == vappID }) else { throw .noAccess(vmID == nil ? "vapp" : "vm", vmID ?? vappID) }
            var vapp = org.vapps[index]
            let vm = vmID.flatMap { id in vapp.vms.first { $0.id == id } }
            if let vmID, vm == nil { throw .noAccess("vm", vmID) }
            let name = vm?.name ?? vapp.name
            if vapp.busyTaskID != nil { throw .badRequest("The entity \(name) is busy completing an operation.") }
            let kind = vm == nil ? "vApp" : "VM"
            if let refusal = VAppRules.refusal(action, kind: kind, name: name, status: vm?.status ?? vapp.status,
                                               deployed: vm?.deployed ?? vapp.deployed) {
                throw .badRequest(refusal)
            }
            var task = s.startOperation(action, id: taskID, org: org, vapp: &vapp, vmID: vmID, subject: subject, by: p, now: now,
                                        behaviour: work.behaviour(action.operationName),
                                        kind: vm == nil ? "Virtual Application" : "Virtual Machine", eventID: eventID, settings: settings)
            s.blockIfNeeded(&task, orgName: org.name, by: p, ids: ids, retention: settings.eventRetention)
            s.orgs[orgID]?.vapps[index] = vapp
            return task
        }
        schedule(task)
        return task
    }

    func schedule(_ task: CloudTask) {
        startDriver()
        if task.status == .preRunning {  // blocked: only its blocking task's deadline is due (Store+BlockingTasks.swift)
            if let b = state.withLock({ s in s.blocking.byTask[task.id].flatMap { s.blocking.byID[$0] } }) {
                work.scheduler.schedule(blockingKeyPrefix + b.id, at: b.timeoutDate)
            }
            return
        }
        let d = work.behaviour(task.operationName ?? "").durationMillis
        work.scheduler.schedule(task.id, at: task.startTime.adding(milliseconds: d <= 0 ? 0 : max(1, d / 4)))
    }
}

extension CloudState {
    /// The org of a vApp: the index, checked, else a scan that repairs it (state replaced by a reset or PUT).
    mutating func orgID(ofVApp id: String) -> String? {
        if let orgID = vappOrg[id], orgs[orgID]?.vapps.contains(where: { $0.id == id }) == true { return orgID }
        for org in orgs.ordered where org.vapps.contains(where: { $0.id == id }) {
            vappOrg[id] = org.id
            return org.id
        }
        return nil
    }

    mutating func updateVApp(_ id: String, orgID: String, _ body: (inout VApp) -> Void) {
        guard let index = orgs[orgID]?.vapps.firstIndex(where: { $0.id == id }) else { return }
        body(&orgs[orgID]!.vapps[index])
    }

    mutating func removeVApp(_ id: String, orgID: String) {
        orgs[orgID]?.vapps.removeAll { $0.id == id }
        vappOrg[id] = nil
    }

    /// The queued task of a new operation; the vApp is busy until it ends.
    mutating func startOperation(_ action: VAppAction, id: String, org: Org, vapp: inout VApp, vmID: String?, subject: Reference,
                                 by p: Principal, now: Timestamp, behaviour: OperationBehaviour, kind: String,
                                 eventID: String, settings: CloudSettings) -> CloudTask {
        var task = CloudTask(id: id, orgID: org.id, name: "task", status: .queued, startTime: now,
                             expiryTime: now.adding(days: settings.taskExpiryDays))
        task.serviceNamespace = "com.vmware.vcloud"
        task.operationName = action.operationName
        task.operation = action.operation(kind, subject.name ?? vapp.name, vmID ?? vapp.id)
        task.owner = subject
        task.user = .user(id: p.user.id, name: p.user.name)
        task.organization = .org(id: org.id, name: org.name)
        task.progress = 0
        task.details = ""
        insertTask(task)
        vapp.busyTaskID = id
        pending[id] = PendingOperation(taskID: id, orgID: org.id, vappID: vapp.id, vmID: vmID, action: action,
                                       behaviour: behaviour, principal: p, subject: subject)
        recordTask(EventType.taskCreate, task, by: p, id: eventID, retention: settings.eventRetention)
        return task
    }
}
