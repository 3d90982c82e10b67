/// Everything the fixture format describes: orgs (with users, inventory, metadata), tasks, events, services.
public struct StateSnapshot: Sendable, Equatable {
    public var orgs: [Org]
    public var tasks: [CloudTask]
    public var services: [ExtensionService]
    public var events: [Event]
    /// Which operations block and for how long (vapps reference §9.2).
    public var blockingTaskSettings: BlockingTaskSettings

    public init(orgs: [Org] = [], tasks: [CloudTask] = [], services: [ExtensionService] = [], events: [Event] = [],
                blockingTaskSettings: BlockingTaskSettings = BlockingTaskSettings()) {
        self.orgs = orgs
        self.tasks = tasks
        self.services = services
        self.events = events
        self.blockingTaskSettings = blockingTaskSettings
    }
}

/// `POST /mock/reset`, `POST /mock/orgs/{name}/reset`, `GET/PUT /mock/state`, `POST /mock/fixtures`.
extension Store {
    /// The whole state, orgs in fixture order, tasks and events per org in their order.
    public func snapshot() -> StateSnapshot {
        state.withLock { s in
            let orgs = s.orgs.ordered
            return StateSnapshot(orgs: orgs,
                                 tasks: orgs.flatMap { o in (s.taskOrder[o.id] ?? []).compactMap { s.tasks[position: $0] } },
                                 services: s.services.order.compactMap { s.services.byID[$0] },
                                 events: orgs.flatMap { Array(s.events[$0.id] ?? []) },
                                 blockingTaskSettings: s.blocking.settings)
        }
    }

    /// The loaded fixtures (what a reset goes back to).
    public var baseline: StateSnapshot { state.withLock { $0.baseline } }

    /// Back to the loaded fixtures: runtime tasks, events and sessions are gone.
    public func reset() {
        let retention = settings.eventRetention
        state.withLock { s in s.replace(with: s.baseline, retention: retention) }
    }

    /// Replaces the whole state; it becomes what a reset goes back to. Sessions are cleared.
    public func replace(with snapshot: StateSnapshot) {
        let retention = settings.eventRetention
        state.withLock { s in
            var snapshot = snapshot
            snapshot.tasks = snapshot.tasks.map { s.interner.intern($0) }
            s.baseline = snapshot
            s.replace(with: snapshot, retention: retention)
        }
    }

    /// One org back to its fixture (inventory, metadata, users, tasks, events); its users' sessions end.
    /// Other orgs are not touched. Returns the org as reset.
    @discardableResult
    public func resetOrg(named name: String) throws(DomainError) -> Org {
        let retention = settings.eventRetention
        return try state.withLock { s throws(DomainError) -> Org in
            guard let org = s.baseline.orgs.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw .notFound("There is no org named \"\(name)\" in the loaded fixtures.")
            }
            // Back in its place if it is still there (an org of the same name in its stead goes).
            var place = s.orgs.index(of: org.id)
            s.removeOrg(org.id)
            if let current = s.orgIDByName[org.name.lowercased()] {
                if let p = place, let c = s.orgs.index(of: current), c < p { place = p - 1 }
                s.removeOrg(current)
            }
            s.insertOrg(org, at: place)
            for task in s.baseline.tasks where task.orgID == org.id { s.insertTask(task) }
            for event in s.baseline.events where event.orgID == org.id { s.record(event, retention: retention, notify: false) }
            s.orgRevision &+= 1
            return org
        }
    }

    /// Adds orgs, tasks, events and services (`POST /mock/fixtures`); all or nothing: any name or id already
    /// in use is a conflict. They also join what a reset goes back to.
    public func add(_ extra: StateSnapshot) throws(DomainError) {
        let retention = settings.eventRetention
        try state.withLock { s throws(DomainError) in
            var itemIDs: Set<String> = []
            for org in s.orgs.ordered {
                for kind in InventoryItem.Kind.allCases { for item in org.items(kind) { itemIDs.insert(kind.rawValue + ":" + item.id) } }
            }
            for org in extra.orgs {
                if s.orgIDByName[org.name.lowercased()] != nil { throw .conflict("An org named \"\(org.name)\" already exists.") }
                if s.orgs[org.id] != nil { throw .conflict("An org with id \"\(org.id)\" already exists.") }
                for user in org.users where s.userOrg[user.id] != nil {
                    throw .conflict("A user with id \"\(user.id)\" already exists (org \"\(org.name)\").")
                }
                for kind in InventoryItem.Kind.allCases {
                    for item in org.items(kind) where itemIDs.contains(kind.rawValue + ":" + item.id) {
                        throw .conflict("A \(kind.rawValue) with id \"\(item.id)\" already exists (org \"\(org.name)\").")
                    }
                }
            }
            for task in extra.tasks where s.tasks[task.id] != nil { throw .conflict("A task with id \"\(task.id)\" already exists.") }
            for service in extra.services {
                if s.services.byID[service.id] != nil { throw .conflict("A service with id \"\(service.id)\" already exists.") }
                if s.services.service(namespace: service.namespace) != nil {
                    throw .conflict("A service with namespace \"\(service.namespace)\" already exists.")
                }
            }
            let tasks = extra.tasks.map { s.interner.intern($0) }
            for org in extra.orgs { s.insertOrg(org) }
            for task in tasks { s.insertTask(task) }
            for event in extra.events { s.record(event, retention: retention, notify: false) }
            if !extra.services.isEmpty {
                var all = s.services.order.compactMap { s.services.byID[$0] }
                all += extra.services
                s.services = ServiceRegistry(all)
            }
            s.baseline.orgs += extra.orgs
            s.baseline.tasks += tasks
            s.baseline.events += extra.events
            s.baseline.services += extra.services
            s.orgRevision &+= 1
        }
    }
}

extension CloudState {
    /// Everything but the baseline replaced; the org revision only grows, so no cached document is stale.
    mutating func replace(with snapshot: StateSnapshot, retention: Int) {
        var fresh = CloudState()
        fresh.baseline = baseline
        fresh.interner = TaskInterner.keeping(baseline.tasks)
        fresh.orgRevision = orgRevision &+ 1
        fresh.reserve(orgs: snapshot.orgs, tasks: snapshot.tasks)
        fresh.adoptOrgs(snapshot.orgs)
        for task in snapshot.tasks { fresh.insertTask(task) }
        for event in snapshot.events { fresh.record(event, retention: retention, notify: false) }
        fresh.services = ServiceRegistry(snapshot.services)
        fresh.blocking.settings = snapshot.blockingTaskSettings
        self = fresh
    }

    /// Room for a bulk load, reserved once: each org's task order gets exactly its tasks' slots (appending
    /// one by one doubled them to 16 slots of 24 bytes for 10 tasks, and left the smaller arrays as holes).
    mutating func reserve(orgs: [Org], tasks given: [CloudTask]) {
        orgIDByName.reserveCapacity(orgs.count)
        tasks.reserveCapacity(given.count)
        var perOrg: [String: Int] = [:]
        perOrg.reserveCapacity(orgs.count)
        for task in given { perOrg[task.orgID, default: 0] += 1 }
        taskOrder.reserveCapacity(perOrg.count)
        for (org, n) in perOrg { taskOrder[org, default: []].reserveCapacity(n) }
    }

    /// The orgs of a bulk load, in their order: the table shares their array (with the baseline).
    mutating func adoptOrgs(_ all: [Org]) {
        orgs = OrgTable(all)
        for org in all {
            orgIDByName[org.name.lowercased()] = org.id
            for user in org.users { userOrg[user.id] = org.id }
        }
    }

    /// A new org at `place` in the org order (where it was before a removal), or at the end.
    mutating func insertOrg(_ org: Org, at place: Int? = nil) {
        orgs.insert(org, at: place)
        orgIDByName[org.name.lowercased()] = org.id
        for user in org.users { userOrg[user.id] = org.id }
    }

    mutating func insertTask(_ task: CloudTask) {
        if let position = tasks.upsert(task) { taskOrder[task.orgID, default: []].append(position) }
    }

    /// Drops an org's runtime state (tasks, events, its users' sessions) and the org itself.
    mutating func removeOrg(_ id: String) {
        guard let org = orgs[id] else { return }
        for user in org.users where userOrg[user.id] == id { userOrg[user.id] = nil }
        if orgIDByName[org.name.lowercased()] == id { orgIDByName[org.name.lowercased()] = nil }
        for position in taskOrder.removeValue(forKey: id) ?? [] { tasks.remove(at: position) }
        blocking.removeAll(orgID: id)
        events[id] = nil
        droppedEvents[id] = nil
        sessions = sessions.filter { $0.value.session.orgID != id }
        orgs[id] = nil
    }
}
