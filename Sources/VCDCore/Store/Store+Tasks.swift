extension Store {
    /// `POST /api/tasksList/{org}`: a service task, created by a system administrator (guide 5.5, p.340).
    public func createTask(in orgID: String, _ draft: TaskDraft, by p: Principal) throws(DomainError) -> CloudTask {
        guard p.isSysadmin else {
            throw .forbidden("Only a system administrator may create tasks in a tasks list; log in to org System.")
        }
        let name = try TaskRules.name(draft.name)
        let status = try TaskRules.status(draft.status)
        let namespace = try TaskRules.serviceNamespace(draft.serviceNamespace)
        let progress = try TaskRules.progress(draft.progress)
        let now = clock.now()
        let id = ids.compactUUID()
        let eventIDs = (ids.compactUUID(), ids.compactUUID())
        let expiry = now.adding(days: settings.taskExpiryDays)
        return try mutate { s throws(DomainError) in
            guard let org = s.orgs[orgID].map({ (id: $0.id, name: $0.name) }) else { throw .noAccess("org", orgID) }
            // Built whole, its repeated parts shared as they are made (no setter copies a box).
            let texts = s.interner.texts(TaskTexts(name: name, operation: draft.operation, operationName: draft.operationName,
                                                   serviceNamespace: namespace))
            let context = s.interner.context(TaskContext(
                orgID: org.id, user: draft.user.map(EntityRef.external) ?? .user(id: p.user.id, name: p.user.name),
                organization: draft.organization.map(EntityRef.external) ?? .org(id: org.id, name: org.name)))
            let extras = s.interner.extras(TaskExtras(
                operationKey: draft.operationKey, description: draft.description, owner: draft.owner,
                error: TaskRules.error(for: status, given: draft.error), details: draft.details))
            let task = CloudTask(id: id, context: context, texts: texts, extras: extras, status: status, start: now,
                                 expiry: expiry, end: status.isTerminal ? now : nil, progress: progress)
            s.insertTask(task)
            s.recordTask(EventType.taskCreate, task, by: p, id: eventIDs.0, retention: settings.eventRetention)
            if let type = EventType.task(enteringStatus: status) {
                s.recordTask(type, task, by: p, id: eventIDs.1, retention: settings.eventRetention)
            }
            return task
        }
    }

    /// `PUT /api/task/{id}`: the service reports status, progress, details or an error.
    public func updateTask(_ id: String, _ draft: TaskDraft, by p: Principal) throws(DomainError) -> CloudTask {
        guard p.isSysadmin else {
            throw .forbidden("Only a system administrator may update a service task; log in to org System.")
        }
        let newStatus = try draft.status.map { s throws(DomainError) in try TaskRules.status(s) }
        let progress = try TaskRules.progress(draft.progress)
        let now = clock.now()
        let eventID = ids.uuid()
        return try mutate { s throws(DomainError) in
            guard var task = s.tasks[id] else { throw .noAccess("task", id) }
            let before = task.status
            let status = newStatus ?? task.status
            if task.status.isTerminal && status != task.status {
                throw .badRequest("Task \(id) already finished with status \"\(task.status.rawValue)\"; it cannot become \"\(status.rawValue)\".")
            }
            if let name = draft.name, !name.isEmpty { task.name = name }
            if let op = draft.operation { task.operation = op }
            if let opName = draft.operationName { task.operationName = opName }
            if let description = draft.description { task.description = description }
            if let progress { task.progress = progress }
            if let details = draft.details { task.details = details }
            task.status = status
            task.error = TaskRules.error(for: status, given: draft.error ?? (status.needsError ? task.error : nil))
            if status.isTerminal, task.endTime == nil { task.endTime = now }
            s.tasks[id] = task
            if status != before, let type = EventType.task(enteringStatus: status) {
                s.recordTask(type, task, by: p, id: eventID, retention: settings.eventRetention)
            }
            return task
        }
    }

    /// `POST /api/task/{id}/action/cancel`: the task ends as canceled, with cancelRequested set.
    public func cancelTask(_ id: String, by p: Principal) throws(DomainError) -> CloudTask {
        let now = clock.now()
        let eventID = ids.uuid()
        return try mutate { s throws(DomainError) in
            guard var task = s.tasks[id], p.canRead(orgID: task.orgID) else { throw .noAccess("task", id) }
            // vCD: a task is canceled by its owner (the user it runs for) or an administrator (reference §4.5).
            let isOwner = switch task.user {
            case .user(let userID, _)?: userID == p.user.id
            case .external(let ref)?: ref.href.hasSuffix("/user/" + p.user.id)  // a service named the user
            default: false
            }
            guard isOwner || p.administers(orgID: task.orgID) else {
                throw .forbidden("Only the task's user, an administrator of its org or a system administrator may cancel task \(id).")
            }
            if task.status.isTerminal {
                throw .badRequest("Task \(id) already finished with status \"\(task.status.rawValue)\" and cannot be canceled.")
            }
            task.cancelRequested = true
            task.status = .canceled
            task.endTime = now
            task.error = TaskError(message: "The task was canceled by \(p.user.name)@\(p.orgName).",
                                   majorErrorCode: 400, minorErrorCode: "BAD_REQUEST")
            s.tasks[id] = task
            s.cancelPending(id)  // a vApp operation stops where it is (Store+VAppWork.swift)
            s.recordTask(EventType.taskAbort, task, by: p, id: eventID, retention: settings.eventRetention)
            return task
        }
    }

    public func task(_ id: String, for p: Principal) throws(DomainError) -> CloudTask {
        guard let task = state.withLock({ $0.tasks[id] }), p.canRead(orgID: task.orgID) else {
            throw .noAccess("task", id)
        }
        return task
    }

    /// An org's tasks in creation order.
    public func tasks(in orgID: String, for p: Principal) throws(DomainError) -> (Org, [CloudTask]) {
        guard p.canRead(orgID: orgID) else { throw .noAccess("org", orgID) }
        let found: (Org, [CloudTask])? = state.withLock { s in
            guard let org = s.orgs[orgID] else { return nil }
            return (org, (s.taskOrder[orgID] ?? []).compactMap { s.tasks[position: $0] })
        }
        guard let found else { throw .noAccess("org", orgID) }
        return found
    }
}

/// Validation of client-supplied task fields (reference §4.3).
enum TaskRules {
    static func name(_ value: String?) throws(DomainError) -> String {
        guard let value, !value.isEmpty else { throw .badRequest("The Task attribute \"name\" is required.") }
        return value
    }

    static func status(_ value: String?) throws(DomainError) -> TaskStatus {
        guard let value else { throw .badRequest("The Task attribute \"status\" is required.") }
        guard let status = TaskStatus(rawValue: value) else {
            let allowed = TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badRequest("Task status \"\(value)\" is not valid; use one of: \(allowed).")
        }
        return status
    }

    static func serviceNamespace(_ value: String?) throws(DomainError) -> String {
        guard let value, !value.isEmpty else {
            throw .badRequest("The Task attribute \"serviceNamespace\" is required for service tasks (e.g. org.example.vcd.backup).")
        }
        guard value.utf8.count <= 128 || value.count <= 128 else { throw .badRequest("serviceNamespace is longer than 128 characters.") }
        guard !value.hasPrefix("com.vmware.vcloud") else {
            throw .badRequest("serviceNamespace \"\(value)\" is reserved: it must not start with com.vmware.vcloud.")
        }
        return value
    }

    static func progress(_ value: Int?) throws(DomainError) -> Int? {
        guard let value else { return nil }
        guard (0...100).contains(value) else { throw .badRequest("Task Progress \(value) is outside 0...100.") }
        return value
    }

    /// Failed, canceled and aborted tasks always carry an Error (pyvcloud reads it unconditionally).
    static func error(for status: TaskStatus, given: TaskError?) -> TaskError? {
        if let given { return given }
        guard status.needsError else { return nil }
        return TaskError(message: "The task ended with status \"\(status.rawValue)\".")
    }
}
