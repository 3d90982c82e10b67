/// A recorded event (reference §7.1). Kept per org, oldest dropped first beyond the retention.
public struct Event: Sendable, Equatable {
    public var id: String
    public var type: String
    public var typeFull: String
    public var serviceNamespace: String
    public var success: Bool
    public var timestamp: Timestamp
    public var orgID: String
    public var user: EntityRef
    public var owner: Reference?
    /// The entity the event is about (a task for task events, the user for logins).
    public var entity: EntityRef?
    /// A task's operationName: notification routing keys end with it.
    public var operationName: String?
    /// The blocked task, for blocking-task events (their entity is the blocking task).
    public var task: EntityRef?

    public init(id: String, type: String, typeFull: String = "", serviceNamespace: String = "", success: Bool = true,
                timestamp: Timestamp, orgID: String, user: EntityRef, owner: Reference? = nil, entity: EntityRef? = nil,
                operationName: String? = nil, task: EntityRef? = nil) {
        self.id = id
        self.type = type
        self.typeFull = typeFull
        self.serviceNamespace = serviceNamespace
        self.success = success
        self.timestamp = timestamp
        self.orgID = orgID
        self.user = user
        self.owner = owner
        self.entity = entity
        self.operationName = operationName
        self.task = task
    }
}

/// Event types the cell records for its own operations (`com/vmware/vcloud/event/...`).
public enum EventType {
    public static let prefix = "com/vmware/vcloud/event/"
    public static let taskCreate = prefix + "task/create"
    public static let taskComplete = prefix + "task/complete"
    public static let taskFail = prefix + "task/fail"
    public static let taskAbort = prefix + "task/abort"
    public static let sessionLogin = prefix + "session/login"

    /// The event a task entering `status` causes, if any.
    public static func task(enteringStatus status: TaskStatus) -> String? {
        switch status {
        case .success: taskComplete
        case .error: taskFail
        case .aborted, .canceled: taskAbort
        case .queued, .preRunning, .running: nil
        }
    }
}

/// What a client posts to `/api/admin/org/{id}/events`.
public struct EventDraft: Sendable, Equatable {
    public var type: String?
    public var typeFull: String?
    public var serviceNamespace: String?
    public var success: String?
    public var owner: Reference?
    public var user: Reference?

    public init(type: String? = nil, typeFull: String? = nil, serviceNamespace: String? = nil, success: String? = nil) {
        self.type = type
        self.typeFull = typeFull
        self.serviceNamespace = serviceNamespace
        self.success = success
    }
}

extension Store {
    /// Records a service's event; only system administrators may post them (guide 5.5, p.342).
    public func postEvent(in orgID: String, _ d: EventDraft, by p: Principal) throws(DomainError) -> Event {
        guard p.isSysadmin else { throw .forbidden("Only a system administrator may post events; log in to org System.") }
        guard let type = d.type, (1...128).contains(type.count), !type.hasPrefix("com/vmware/vcloud") else {
            throw .badRequest("Event type is required, 1-128 characters, and must not start with com/vmware/vcloud.")
        }
        guard let ns = d.serviceNamespace, (1...128).contains(ns.count), !ns.hasPrefix("com.vmware.vcloud") else {
            throw .badRequest("Event serviceNamespace is required, 1-128 characters, and must not start with com.vmware.vcloud.")
        }
        guard let successText = d.success, let success = xsBoolean(successText) else {
            throw .badRequest("Event success is required and must be true or false.")
        }
        let typeFull = d.typeFull ?? ""
        guard typeFull.count <= 2000 else { throw .badRequest("Event typeFull is longer than 2000 characters.") }
        let now = clock.now()
        let id = ids.uuid()
        return try mutate { s throws(DomainError) in
            guard s.orgs[orgID] != nil else { throw .noAccess("org", orgID) }
            let event = Event(id: id, type: type, typeFull: typeFull, serviceNamespace: ns, success: success,
                              timestamp: now, orgID: orgID,
                              user: d.user.map(EntityRef.external) ?? .user(id: p.user.id, name: p.user.name),
                              owner: d.owner, entity: nil)
            s.record(event, retention: settings.eventRetention)
            return event
        }
    }

    /// An org's events, oldest first, and how many were dropped by the retention bound.
    public func events(in orgID: String) -> (events: [Event], dropped: Int) {
        state.withLock { s in (Array(s.events[orgID] ?? []), s.droppedEvents[orgID] ?? 0) }
    }
}

extension CloudState {
    /// Records what happened to a task, attributed to the caller.
    mutating func recordTask(_ type: String, _ task: CloudTask, by p: Principal, id: String, retention: Int) {
        record(Event(id: id, type: type, typeFull: task.operation ?? "", serviceNamespace: task.serviceNamespace ?? "",
                     success: task.status != .error && task.status != .aborted, timestamp: task.endTime ?? task.startTime,
                     orgID: task.orgID, user: .user(id: p.user.id, name: p.user.name), owner: task.owner,
                     entity: .task(id: task.id, name: task.name), operationName: task.operationName), retention: retention)
    }

    /// Appends in place (a Deque, so dropping the oldest is O(1)); never copies the org's history.
    /// `notify: false` restores an event (reset, state import) without telling the observers.
    mutating func record(_ event: Event, retention: Int, notify: Bool = true) {
        events[event.orgID, default: []].append(event)
        if notify { justRecorded.append(event) }
        let excess = events[event.orgID]!.count - retention
        if excess > 0 {
            events[event.orgID]!.removeFirst(excess)
            droppedEvents[event.orgID, default: 0] += excess
        }
    }
}
