import DequeModule

/// A recorded event (reference §7.1). Kept per org, oldest dropped first beyond the retention.
/// Its fields live behind one reference (Event+Storage.swift): an event about a task keeps the task as
/// it was when recorded (sharing its storage) instead of copies of its fields, so the `task/create`
/// event of a POST costs one 80-byte block, not about 500 bytes. The properties below are the event's API.
public struct Event: Sendable, Equatable {
    var s: EventStorage

    public init(id: String, type: String, typeFull: String = "", serviceNamespace: String = "", success: Bool = true,
                timestamp: Timestamp, orgID: String, user: EntityRef, owner: Reference? = nil, entity: EntityRef? = nil,
                operationName: String? = nil, task: EntityRef? = nil) {
        s = EventStorage(id: CompactID(id), user: Shared(user),
                         fields: Shared(EventFields(type: type, typeFull: typeFull, serviceNamespace: serviceNamespace, success: success,
                                                    timestamp: timestamp.milliseconds, orgID: orgID, owner: owner,
                                                    entity: entity, operationName: operationName, task: task)))
    }

    /// An event about `task` as it is now; `user` comes shared (`TaskInterner.ref`).
    init(id: CompactID, type: String, user: Shared<EntityRef>, about task: CloudTask) {
        let known = EventStorage.taskTypes.firstIndex(of: type)
        s = EventStorage(id: id, taskType: UInt8(known ?? 0), user: user, task: task)
        if known == nil { edit { $0.type = type } }  // a type no task event has: the event keeps its own fields
    }

    /// The id as stored: writers print it in place (`XMLOutput.id`) instead of making its text.
    public var compactID: CompactID { s.id }

    public var id: String {
        get { String(s.id) }
        set { s = EventStorage(s, id: CompactID(newValue), user: s.user) }
    }
    public var type: String {
        get { s.type }
        set { edit { $0.type = newValue } }
    }
    public var user: EntityRef {
        get { s.user.value }
        set { s = EventStorage(s, id: s.id, user: Shared(newValue)) }
    }
    public var typeFull: String {
        get { pick({ $0.operation ?? "" }, \.typeFull) }
        set { edit { $0.typeFull = newValue } }
    }
    public var serviceNamespace: String {
        get { pick({ $0.serviceNamespace ?? "" }, \.serviceNamespace) }
        set { edit { $0.serviceNamespace = newValue } }
    }
    public var success: Bool {
        get { pick({ $0.status != .error && $0.status != .aborted }, \.success) }
        set { edit { $0.success = newValue } }
    }
    public var timestamp: Timestamp {
        get { Timestamp(milliseconds: pick({ $0.s.end == TaskStorage.none ? $0.s.start : $0.s.end }, \.timestamp)) }
        set { edit { $0.timestamp = newValue.milliseconds } }
    }
    public var orgID: String {
        get { pick(\.orgID, \.orgID) }
        set { edit { $0.orgID = newValue } }
    }
    public var owner: Reference? {
        get { pick(\.owner, \.owner) }
        set { edit { $0.owner = newValue } }
    }
    /// The entity the event is about (a task for task events, the user for logins).
    public var entity: EntityRef? {
        get { pick({ .task(id: $0.id, name: $0.name) }, \.entity) }
        set { edit { $0.entity = newValue } }
    }
    /// The org an org event is about (created or renamed); a task event answers without making its entity.
    public var orgEntity: (id: String, name: String)? {
        guard case .fields(let box) = s.detail, case .org(let id, let name)? = box.value.entity else { return nil }
        return (id, name)
    }
    /// A task's operationName: notification routing keys end with it.
    public var operationName: String? {
        get { pick(\.operationName, \.operationName) }
        set { edit { $0.operationName = newValue } }
    }
    /// The blocked task, for blocking-task events (their entity is the blocking task).
    public var task: EntityRef? {
        get { pick({ _ in nil }, \.task) }
        set { edit { $0.task = newValue } }
    }

    public static func == (a: Event, b: Event) -> Bool {
        a.s === b.s || (a.s.id == b.s.id && a.s.type == b.s.type && a.s.user.value == b.s.user.value && a.fields == b.fields)
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
        recordTask(type, task, by: p, id: CompactID(id), retention: retention)
    }

    mutating func recordTask(_ type: String, _ task: CloudTask, by p: Principal, id: CompactID, retention: Int) {
        record(Event(id: id, type: type, user: interner.ref(.user(id: p.user.id, name: p.user.name)), about: task), retention: retention)
    }

    /// Appends in place (a Deque, so dropping the oldest is O(1)); never copies the org's history.
    /// `notify: false` restores an event (reset, state import) without telling the observers.
    mutating func record(_ event: Event, retention: Int, notify: Bool = true) {
        let orgID = event.orgID
        // One lookup of the org's history for the append and the trim.
        let excess = { (history: inout Deque<Event>) -> Int in
            history.append(event)
            let excess = history.count - retention
            if excess > 0 { history.removeFirst(excess) }
            return excess
        }(&events[orgID, default: []])
        if notify { justRecorded.append(event) }
        if excess > 0 { droppedEvents[orgID, default: 0] += excess }
    }
}
