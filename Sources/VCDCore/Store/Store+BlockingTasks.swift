/// Blocking tasks in their own table, keyed by id and by the blocked task's id (vapps reference §9).
struct BlockingTable: Sendable {
    var settings = BlockingTaskSettings()
    var byID: [String: BlockingTask] = [:]
    /// Creation order: the list and the query show them in it.
    var order: [String] = []
    var byTask: [String: String] = [:]
    /// Decided blocking tasks stay listed ("recently completed") up to this many; older decided ones go.
    static let decidedKept = 1000

    mutating func insert(_ b: BlockingTask) {
        byID[b.id] = b
        order.append(b.id)
        byTask[b.taskID] = b.id
    }

    /// An org reset or removal: its blocking tasks go with its tasks.
    mutating func removeAll(orgID: String) {
        let gone = Set(order.filter { byID[$0]?.orgID == orgID })
        guard !gone.isEmpty else { return }
        for id in gone {
            if let b = byID.removeValue(forKey: id) { byTask[b.taskID] = nil }
        }
        order.removeAll { gone.contains($0) }
    }

    /// Drops the oldest decided blocking tasks beyond `decidedKept`; active ones always stay.
    mutating func trim() {
        var decided = order.filter { byID[$0]?.status != .active }
        guard decided.count > Self.decidedKept else { return }
        decided.removeLast(Self.decidedKept)
        let gone = Set(decided)
        for id in decided {
            if let b = byID.removeValue(forKey: id) { byTask[b.taskID] = nil }
        }
        order.removeAll { gone.contains($0) }
    }
}

/// The key of a blocking task's deadline in the one task scheduler (vApp task ids have no such prefix).
let blockingKeyPrefix = "blockingTask:"

extension Store {
    static let blockingTaskMediaType = "application/vnd.vmware.admin.blockingTask+xml"

    func requireSysadmin(_ p: Principal) throws(DomainError) {
        guard p.isSysadmin else {
            throw .forbidden("Only a system administrator may see or act on blocking tasks and their settings; log in to org System.")
        }
    }

    public func blockingTaskSettings(for p: Principal) throws(DomainError) -> BlockingTaskSettings {
        try requireSysadmin(p)
        return state.withLock { $0.blocking.settings }
    }

    /// Applies to operations started from now on; blocking tasks that exist keep their deadline and action.
    public func setBlockingTaskSettings(_ new: BlockingTaskSettings, by p: Principal) throws(DomainError) -> BlockingTaskSettings {
        try requireSysadmin(p)
        guard new.timeoutMillis >= 0 else { throw .badRequest("TimeoutInMilliseconds must be 0 or more, not \(new.timeoutMillis).") }
        state.withLock { $0.blocking.settings = new }
        return new
    }

    /// Active and recently decided blocking tasks, oldest first.
    public func blockingTasks(for p: Principal) throws(DomainError) -> [BlockingTask] {
        try requireSysadmin(p)
        return allBlockingTasks()
    }

    /// Every listed blocking task, without an access check (the query service checks its own access).
    public func allBlockingTasks() -> [BlockingTask] {
        state.withLock { s in s.blocking.order.compactMap { s.blocking.byID[$0] } }
    }

    public func blockingTask(_ id: String, for p: Principal) throws(DomainError) -> BlockingTask {
        try requireSysadmin(p)
        guard let b = state.withLock({ $0.blocking.byID[id] }) else { throw .noAccess("blockingTask", id) }
        return b
    }

    /// resume, abort or fail (§9.7): only an active blocking task can be decided, once.
    public func decide(_ id: String, _ action: BlockingTaskAction, message: String, by p: Principal) throws(DomainError) {
        try requireSysadmin(p)
        let now = clock.now()
        let resumed = try mutate { s throws(DomainError) -> CloudTask? in
            guard let b = s.blocking.byID[id] else { throw .noAccess("blockingTask", id) }
            guard b.status == .active else {
                throw .badRequest("Blocking task \(id) was already decided (status \"\(b.status.rawValue)\"); "
                                  + "only an active blocking task can be resumed, aborted or failed.")
            }
            return s.apply(action, to: id, message: message, user: .user(id: p.user.id, name: p.user.name), now: now,
                           ids: ids, retention: settings.eventRetention)
        }
        if let resumed { schedule(resumed) }
    }

    /// `updateProgress`: a new deadline when `timeoutMillis` is given; the blocking task stays active.
    public func updateProgress(_ id: String, message: String, timeoutMillis: Int64?, by p: Principal) throws(DomainError) -> BlockingTask {
        try requireSysadmin(p)
        if let t = timeoutMillis, t < 0 { throw .badRequest("TimeoutValueInMilliseconds must be 0 or more, not \(t).") }
        let now = clock.now()
        let b = try mutate { s throws(DomainError) -> BlockingTask in
            guard var b = s.blocking.byID[id] else { throw .noAccess("blockingTask", id) }
            guard b.status == .active else {
                throw .badRequest("Blocking task \(id) was already decided (status \"\(b.status.rawValue)\"); its progress cannot be updated.")
            }
            b.message = message
            if let t = timeoutMillis { b.timeoutDate = now.adding(milliseconds: t) }
            s.blocking.byID[id] = b
            if var task = s.tasks[b.taskID] {
                task.details = message
                s.tasks[b.taskID] = task
            }
            return b
        }
        if timeoutMillis != nil { work.scheduler.schedule(blockingKeyPrefix + id, at: b.timeoutDate) }
        return b
    }

    /// A blocking task's deadline came up on the scheduler: apply its timeout action if it is still due
    /// (a decision or a later deadline from updateProgress makes the entry stale).
    func blockingDeadline(_ id: String, now: Timestamp) {
        let resumed: CloudTask? = try? mutate { s throws(DomainError) -> CloudTask? in
            guard let b = s.blocking.byID[id], b.status == .active, b.timeoutDate.milliseconds <= now.milliseconds else { return nil }
            let message = "No decision before the timeout; the timeout action \(b.timeoutAction.rawValue) was applied."
            return s.apply(b.timeoutAction, to: id, message: message, user: b.user, now: now, ids: ids,
                           retention: settings.eventRetention)
        }
        if let resumed { schedule(resumed) }
    }
}

extension CloudState {
    /// Called once a new operation's task exists: when the settings name its operation, the task waits in
    /// preRunning and an active blocking task is created and announced (§9.4).
    mutating func blockIfNeeded(_ task: inout CloudTask, orgName: String, by p: Principal, ids: any IDGenerator, retention: Int) {
        guard let op = task.operationName, blocking.settings.blocks(op) else { return }
        task.status = .preRunning
        tasks[task.id] = task
        let b = BlockingTask(id: ids.uuid(), taskID: task.id, orgID: task.orgID, orgName: orgName, operationName: op,
                             user: .user(id: p.user.id, name: p.user.name), owner: task.owner, created: task.startTime,
                             timeoutDate: task.startTime.adding(milliseconds: blocking.settings.timeoutMillis),
                             timeoutAction: blocking.settings.timeoutAction)
        blocking.insert(b)
        recordBlocking("create", b, task: task, user: b.user, now: task.startTime, id: ids.uuid(), retention: retention)
    }

    /// The decision's effect on the blocked task and its object (§9.7). Returns the task when it was resumed
    /// (the caller schedules it); abort and fail end it here.
    mutating func apply(_ action: BlockingTaskAction, to id: String, message: String, user: EntityRef, now: Timestamp,
                        ids: any IDGenerator, retention: Int) -> CloudTask? {
        guard var b = blocking.byID[id] else { return nil }
        b.status = action.outcome
        b.message = message
        blocking.byID[id] = b
        defer { blocking.trim() }
        guard var task = tasks[b.taskID] else { return nil }
        recordBlocking(action.rawValue, b, task: task, user: user, now: now, id: ids.uuid(), retention: retention)
        guard task.status == .preRunning, var op = pending[task.id] else { return nil }
        task.details = message
        switch action {
        case .resume:
            // The operation runs from now: its duration counts from the decision, not from the request.
            task.status = .queued
            task.startTime = now
            tasks[task.id] = task
            return task
        case .fail:
            op.behaviour.error = TaskError(message: message)
            finish(op, task: task, now: now, ids: ids, retention: retention)
            return nil
        case .abort:
            pending[task.id] = nil
            task.status = .aborted
            task.endTime = now
            task.error = TaskError(message: message, majorErrorCode: 400, minorErrorCode: "BAD_REQUEST")
            tasks[task.id] = task
            // vCAT 2.169: an aborted instantiation's scaffold VM and vApp go away (vapp/modify, vm/delete).
            if case .instantiate = op.action {
                for type in ["vapp/modify", "vm/delete"] {
                    record(Event(id: ids.uuid(), type: EventType.prefix + type, typeFull: task.operation ?? "",
                                 serviceNamespace: "com.vmware.vcloud", success: true, timestamp: now, orgID: op.orgID,
                                 user: .user(id: op.principal.user.id, name: op.principal.user.name), owner: op.subject,
                                 entity: .external(op.subject)), retention: retention)
                }
                removeVApp(op.vappID, orgID: op.orgID)
            } else {
                updateVApp(op.vappID, orgID: op.orgID) { $0.busyTaskID = nil }
            }
            recordTask(EventType.taskAbort, task, by: op.principal, id: ids.uuid(), retention: retention)
            return nil
        }
    }

    /// A blocked task that ended another way (canceled): its blocking task is decided as aborted.
    mutating func blockedTaskEnded(_ taskID: String) {
        guard let id = blocking.byTask[taskID], var b = blocking.byID[id], b.status == .active else { return }
        b.status = .aborted
        blocking.byID[id] = b
    }

    /// `blockingtask/<verb>`: entity the blocking task, `task` the blocked task, owner its object (§8.3).
    mutating func recordBlocking(_ verb: String, _ b: BlockingTask, task: CloudTask, user: EntityRef, now: Timestamp,
                                 id: String, retention: Int) {
        let href = Self.base(of: b.owner?.href) + "/api/admin/extension/blockingTask/" + b.id
        record(Event(id: id, type: EventType.blockingTaskPrefix + verb, typeFull: task.operation ?? "",
                     serviceNamespace: "com.vmware.vcloud", success: true, timestamp: now, orgID: b.orgID, user: user,
                     owner: b.owner, entity: .external(Reference(href: href, name: b.operationName, type: Store.blockingTaskMediaType)),
                     operationName: b.operationName, task: .task(id: task.id, name: task.name)), retention: retention)
    }

    /// `https://host:port` of an href (the part before `/api/`), so event hrefs use the requester's base.
    static func base(of href: String?) -> String {
        guard let href, let r = href.range(of: "/api/") else { return "" }
        return String(href[..<r.lowerBound])
    }
}
