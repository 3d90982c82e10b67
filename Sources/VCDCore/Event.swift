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
        guard let successText = d.success, let success = Bool(successText) else {
            throw .badRequest("Event success is required and must be true or false.")
        }
        let typeFull = d.typeFull ?? ""
        guard typeFull.count <= 2000 else { throw .badRequest("Event typeFull is longer than 2000 characters.") }
        let now = clock.now()
        let id = ids.uuid()
        return try state.withLock { s throws(DomainError) in
            guard s.orgs[orgID] != nil else { throw .noAccess("org", orgID) }
            let event = Event(id: id, type: type, typeFull: typeFull, serviceNamespace: ns, success: success,
                              timestamp: now, orgID: orgID,
                              user: d.user.map(EntityRef.external) ?? .user(id: p.user.id, name: p.user.name),
                              owner: d.owner)
            s.record(event, retention: settings.eventRetention)
            return event
        }
    }

    /// An org's events, oldest first, and how many were dropped by the retention bound.
    public func events(in orgID: String) -> (events: [Event], dropped: Int) {
        state.withLock { s in (s.events[orgID] ?? [], s.droppedEvents[orgID] ?? 0) }
    }
}

extension CloudState {
    mutating func record(_ event: Event, retention: Int) {
        var list = events[event.orgID] ?? []
        list.append(event)
        if list.count > retention {
            let excess = list.count - retention
            list.removeFirst(excess)
            droppedEvents[event.orgID, default: 0] += excess
        }
        events[event.orgID] = list
    }
}
