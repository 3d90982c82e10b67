import Synchronization

/// How a vApp operation ends: after how long, and with success or an error.
public struct OperationBehaviour: Sendable, Equatable {
    public var durationMillis: Int64
    /// nil: success.
    public var error: TaskError?

    public init(durationMillis: Int64, error: TaskError? = nil) {
        self.durationMillis = durationMillis
        self.error = error
    }
}

/// `--task-duration` and `PUT /mock/operations/{operationName}`, plus the scheduler.
public final class VAppWork: Sendable {
    public let scheduler = TaskScheduler()
    private let table = Locked<(defaultMillis: Int64, byName: [String: OperationBehaviour])>((2000, [:]))

    public init() {}

    public var defaultDurationMillis: Int64 {
        get { table.withLock { $0.defaultMillis } }
        set { table.withLock { $0.defaultMillis = max(0, newValue) } }
    }

    public func behaviour(_ operationName: String) -> OperationBehaviour {
        table.withLock { t in t.byName[operationName] ?? OperationBehaviour(durationMillis: t.defaultMillis) }
    }

    public func set(_ operationName: String, _ b: OperationBehaviour?) {
        table.withLock { $0.byName[operationName] = b }
    }

    public var overrides: [String: OperationBehaviour] { table.withLock { $0.byName } }
}

/// A vApp operation whose task has not finished.
struct PendingOperation: Sendable {
    var taskID: String
    var orgID: String
    var vappID: String
    var vmID: String?
    var action: VAppAction
    var behaviour: OperationBehaviour
    var principal: Principal
    /// The vApp (or VM) reference for object events, as the request saw its href.
    var subject: Reference
}

extension Store {
    /// Moves every due operation one step: queued → running (progress by quarters) → success or error.
    public func runDueWork() {
        let now = clock.now()
        for key in work.scheduler.popDue(now: now) {
            if key.hasPrefix(blockingKeyPrefix) { blockingDeadline(String(key.dropFirst(blockingKeyPrefix.count)), now: now) } else { step(key, now: now) }
        }
    }

    func step(_ taskID: String, now: Timestamp) {
        let next: Timestamp? = try? mutate { s throws(DomainError) -> Timestamp? in
            guard let op = s.pending[taskID], var task = s.tasks[taskID], !task.status.isTerminal else {
                s.pending[taskID] = nil
                return nil
            }
            let d = op.behaviour.durationMillis
            let elapsed = now.milliseconds - task.startTime.milliseconds
            if elapsed < d {
                if task.status == .queued {
                    task.status = .running
                    s.recordTask(EventType.prefix + "task/start", task, by: op.principal, id: ids.uuid(), retention: settings.eventRetention)
                }
                task.progress = Int(max(1, min(99, elapsed * 100 / max(d, 1))))
                s.tasks[taskID] = task
                let quarter = min(4, elapsed * 4 / max(d, 1) + 1)
                return task.startTime.adding(milliseconds: d * quarter / 4)
            }
            s.finish(op, task: task, now: now, ids: ids, retention: settings.eventRetention)
            return nil
        }
        if let next { work.scheduler.schedule(taskID, at: next) }
    }

    func startDriver() {
        work.scheduler.startDriver(clock: clock) { [weak self] in
            guard let self else { return false }
            self.runDueWork()
            return true
        }
    }
}

extension CloudState {
    /// The operation's end: the object's state changes (or not, on error), the task ends, events go out.
    mutating func finish(_ op: PendingOperation, task: CloudTask, now: Timestamp, ids: any IDGenerator, retention: Int) {
        var task = task
        pending[op.taskID] = nil
        task.endTime = now
        task.progress = 100
        if let error = op.behaviour.error {
            task.status = .error
            task.error = error
        } else {
            task.status = .success
        }
        updateVApp(op.vappID, orgID: op.orgID) { vapp in
            vapp.busyTaskID = nil
            guard task.status == .success else {
                if op.action.creates { vapp.vms.removeAll(); vapp.ownStatus = .failedCreation }
                return
            }
            if case .compose = op.action { vapp.ownStatus = .resolved }  // what an empty composed vApp shows
            for i in vapp.vms.indices where op.vmID == nil || vapp.vms[i].id == op.vmID {
                VAppRules.apply(op.action, to: &vapp.vms[i])
            }
        }
        if task.status == .success, op.action == .delete { removeVApp(op.vappID, orgID: op.orgID) }
        tasks[task.id] = task
        for type in Self.objectEvents(op.action, vm: op.vmID != nil) {
            record(Event(id: ids.uuid(), type: EventType.prefix + type, typeFull: task.operation ?? "",
                         serviceNamespace: "com.vmware.vcloud", success: task.status == .success, timestamp: now,
                         orgID: op.orgID, user: .user(id: op.principal.user.id, name: op.principal.user.name),
                         owner: op.subject, entity: .external(op.subject), operationName: nil), retention: retention)
        }
        if let type = EventType.task(enteringStatus: task.status) {
            recordTask(type, task, by: op.principal, id: ids.uuid(), retention: retention)
        }
    }

    /// Object events on completion (reference §8.2; the order there is a recommendation).
    static func objectEvents(_ action: VAppAction, vm: Bool) -> [String] {
        let o = vm ? "vm" : "vapp"
        switch action {
        case .instantiate(let deploy, let powerOn): return ["vm/create", "vapp/create"] + (deploy || powerOn ? ["vapp/deploy"] : [])
        case .compose(let deploy, let powerOn, let withVMs):
            return withVMs ? ["vm/create", "vapp/create"] + (deploy || powerOn ? ["vapp/deploy"] : []) : ["vapp/create"]
        case .powerOn, .deploy: return vm ? ["vm/deploy"] : ["vm/deploy", "vapp/deploy"]
        case .undeploy: return vm ? ["vm/undeploy"] : ["vm/undeploy", "vapp/undeploy"]
        case .delete: return vm ? ["vm/delete"] : ["vm/delete", "vapp/delete"]
        case .powerOff, .reboot, .reset, .shutdown, .suspend: return ["vm/change_state"] + (vm ? [] : ["\(o)/modify"])
        }
    }

    /// A task canceled while its operation waits: the vApp is free again; a canceled creation leaves a
    /// failed vApp (as vCD does when the scaffold is removed). Called from `cancelTask`.
    mutating func cancelPending(_ taskID: String) {
        blockedTaskEnded(taskID)
        guard let op = pending.removeValue(forKey: taskID) else { return }
        updateVApp(op.vappID, orgID: op.orgID) { vapp in
            vapp.busyTaskID = nil
            if op.action.creates { vapp.vms.removeAll(); vapp.ownStatus = .failedCreation }
        }
    }
}
