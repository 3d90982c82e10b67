/// The objects that carry metadata (§8).
public enum MetadataTarget: Sendable, Equatable {
    case org(String), vdc(String), catalog(String), user(String), task(String)

    public var kind: String {
        switch self {
        case .org: "org"
        case .vdc: "vdc"
        case .catalog: "catalog"
        case .user: "user"
        case .task: "task"
        }
    }

    public var id: String {
        switch self {
        case .org(let id), .vdc(let id), .catalog(let id), .user(let id), .task(let id): id
        }
    }
}

/// An object's metadata as one caller sees it.
public struct MetadataView: Sendable, Equatable {
    public var target: MetadataTarget
    public var name: String
    public var orgID: String
    /// Only the entries the caller may see.
    public var entries: [MetadataEntry]
    /// Whether the caller may write GENERAL entries (edit the object).
    public var writable: Bool
    public var sysadmin: Bool

    public init(target: MetadataTarget, name: String, orgID: String, entries: [MetadataEntry], writable: Bool, sysadmin: Bool) {
        self.target = target
        self.name = name
        self.orgID = orgID
        self.entries = entries
        self.writable = writable
        self.sysadmin = sysadmin
    }

    /// Whether the caller may change or remove this entry.
    public func canWrite(_ e: MetadataEntry) -> Bool {
        writable && MetadataRules.writable(e.domain, sysadmin: sysadmin)
    }
}

extension Store {
    public func metadata(of t: MetadataTarget, for p: Principal) throws(DomainError) -> MetadataView {
        guard let found = state.withLock({ $0.metadataOwner(t) }), p.canRead(orgID: found.orgID) else {
            throw .noAccess(t.kind, t.id)
        }
        return MetadataView(target: t, name: found.name, orgID: found.orgID,
                            entries: found.entries.filter { MetadataRules.visible($0, sysadmin: p.isSysadmin) },
                            writable: p.administers(orgID: found.orgID), sysadmin: p.isSysadmin)
    }

    /// One entry; a key the caller cannot see answers like an unknown one (403, as vCD).
    public func metadataEntry(of t: MetadataTarget, domain: MetadataEntry.Domain, key: String, for p: Principal)
        throws(DomainError) -> (MetadataView, MetadataEntry) {
        let view = try metadata(of: t, for: p)
        guard let entry = view.entries.first(where: { $0.domain == domain && $0.key == key }) else {
            throw .forbidden("There is no metadata entry \"\(key)\" in domain \(domain.rawValue) of \(t.kind) \(t.id).")
        }
        return (view, entry)
    }

    /// Merges entries (same domain and key: replaced), then records an already finished `metadataUpdate` task
    /// in the object's org; `owner` is the object's reference as the handler renders it.
    public func setMetadata(on t: MetadataTarget, _ entries: [MetadataEntry], owner: Reference, by p: Principal)
        throws(DomainError) -> CloudTask {
        for e in entries { try MetadataRules.check(e) }
        return try writeMetadata(t, owner: owner, by: p, verb: "Updated") { list, orgID throws(DomainError) in
            for e in entries {
                guard MetadataRules.writable(e.domain, sysadmin: p.isSysadmin) else {
                    throw .forbidden("Only a system administrator may write metadata in domain SYSTEM.")
                }
                if let i = list.firstIndex(where: { $0.domain == e.domain && $0.key == e.key }) {
                    guard MetadataRules.visible(list[i], sysadmin: p.isSysadmin) else { throw .noAccess(t.kind, t.id) }
                    list[i] = e
                } else {
                    list.append(e)
                }
            }
        }
    }

    public func removeMetadata(on t: MetadataTarget, domain: MetadataEntry.Domain, key: String, owner: Reference, by p: Principal)
        throws(DomainError) -> CloudTask {
        try writeMetadata(t, owner: owner, by: p, verb: "Removed") { list, _ throws(DomainError) in
            guard let i = list.firstIndex(where: { $0.domain == domain && $0.key == key }),
                  MetadataRules.visible(list[i], sysadmin: p.isSysadmin) else {
                throw .forbidden("There is no metadata entry \"\(key)\" in domain \(domain.rawValue) of \(t.kind) \(t.id).")
            }
            guard MetadataRules.writable(domain, sysadmin: p.isSysadmin) else {
                throw .forbidden("Only a system administrator may remove metadata in domain SYSTEM.")
            }
            list.remove(at: i)
        }
    }

    private func writeMetadata(_ t: MetadataTarget, owner: Reference, by p: Principal, verb: String,
                               _ change: (inout [MetadataEntry], String) throws(DomainError) -> Void) throws(DomainError) -> CloudTask {
        let now = clock.now()
        let taskID = ids.uuid()
        let eventIDs = (ids.uuid(), ids.uuid())
        return try mutate { s throws(DomainError) in
            guard let found = s.metadataOwner(t), p.canRead(orgID: found.orgID) else { throw .noAccess(t.kind, t.id) }
            guard p.administers(orgID: found.orgID) else {
                throw .forbidden("You may read but not change the metadata of \(t.kind) \"\(found.name)\"; ask an administrator of its org.")
            }
            var list = found.entries
            try change(&list, found.orgID)
            s.setMetadata(t, list)
            var task = CloudTask(id: taskID, orgID: found.orgID, name: "task", status: .success, startTime: now,
                                 expiryTime: now.adding(days: settings.taskExpiryDays))
            task.endTime = now
            task.operationName = "metadataUpdate"
            task.operation = "\(verb) metadata of \(t.kind) \(found.name)"
            task.serviceNamespace = "com.vmware.vcloud"
            task.owner = owner
            task.user = .user(id: p.user.id, name: p.user.name)
            task.organization = s.orgs[found.orgID].map { .org(id: $0.id, name: $0.name) }
            task.progress = 100
            s.insertTask(task)
            s.recordTask(EventType.taskCreate, task, by: p, id: eventIDs.0, retention: settings.eventRetention)
            s.recordTask(EventType.taskComplete, task, by: p, id: eventIDs.1, retention: settings.eventRetention)
            return task
        }
    }
}

extension CloudState {
    /// The object's name, org and stored entries.
    func metadataOwner(_ t: MetadataTarget) -> (name: String, orgID: String, entries: [MetadataEntry])? {
        switch t {
        case .org(let id):
            return orgs[id].map { ($0.name, $0.id, $0.metadata) }
        case .vdc(let id), .catalog(let id):
            let kind: InventoryItem.Kind = t.kind == "vdc" ? .vdc : .catalog
            for org in orgs.ordered {
                if let item = org.items(kind).first(where: { $0.id == id }) {
                    return (item.name, org.id, item.metadata)
                }
            }
            return nil
        case .user(let id):
            guard let orgID = userOrg[id], let user = orgs[orgID]?.users.first(where: { $0.id == id }) else { return nil }
            return (user.name, orgID, user.metadata)
        case .task(let id):
            return tasks[id].map { ($0.name, $0.orgID, $0.metadata) }
        }
    }

    mutating func setMetadata(_ t: MetadataTarget, _ list: [MetadataEntry]) {
        switch t {
        case .org(let id):
            orgs[id]?.metadata = list
        case .vdc(let id):
            guard let orgID = orgs.ordered.first(where: { $0.vdcs.contains { $0.id == id } })?.id,
                  let i = orgs[orgID]?.vdcs.firstIndex(where: { $0.id == id }) else { return }
            orgs[orgID]?.vdcs[i].metadata = list
        case .catalog(let id):
            guard let orgID = orgs.ordered.first(where: { $0.catalogs.contains { $0.id == id } })?.id,
                  let i = orgs[orgID]?.catalogs.firstIndex(where: { $0.id == id }) else { return }
            orgs[orgID]?.catalogs[i].metadata = list
        case .user(let id):
            guard let orgID = userOrg[id], let i = orgs[orgID]?.users.firstIndex(where: { $0.id == id }) else { return }
            orgs[orgID]?.users[i].metadata = list
        case .task(let id):
            tasks[id]?.metadata = list
        }
        orgRevision &+= 1
    }
}
