import DequeModule

/// Which orgs a typed query reads: every org (system administrators) or one.
public enum QueryScope: Sendable, Equatable {
    case all
    case org(String)
}

/// What a typed query reads, besides the orgs themselves.
public enum QuerySource: Sendable {
    /// Orgs only: organizations, users, vdcs, catalogs and networks live inside them.
    case orgs
    case tasks
    case events
    case services
    /// Blocking tasks (system administrators only), with the status of each blocked task.
    case blockingTasks
}

/// A consistent copy of the rows of one kind in scope, taken under one lock. Orgs, users, inventory
/// arrays and event logs are copy-on-write, so copying them costs O(1) each; tasks are gathered in
/// creation order, O(tasks in scope). Nothing here is O(all objects).
public struct QuerySnapshot: Sendable {
    /// Orgs in scope, in fixture order.
    public var orgs: [Org] = []
    /// org id -> org name, for the `orgName` attributes of tasks and events.
    public var orgNames: [String: String] = [:]
    public var tasks: [CloudTask] = []
    /// One log per org in scope, oldest first.
    public var eventLogs: [[Event]] = []
    public var services: [ExtensionService] = []
    public var blockingTasks: [(blockingTask: BlockingTask, jobStatus: TaskStatus?)] = []

    public init() {}

    /// Every event in scope: org by org, oldest first within each.
    public var events: [Event] { eventLogs.count == 1 ? eventLogs[0] : eventLogs.flatMap { $0 } }
}

extension Store {
    /// Copies what a query over `source` needs, in `scope`. The lock is held only for the copy.
    public func querySnapshot(_ source: QuerySource, scope: QueryScope) -> QuerySnapshot {
        var logs: [Deque<Event>] = []
        var snapshot = state.withLock { s -> QuerySnapshot in
            var out = QuerySnapshot()
            switch scope {
            case .all: out.orgs = s.orgs.ordered
            case .org(let id): out.orgs = s.orgs[id].map { [$0] } ?? []
            }
            let ids = out.orgs.map(\.id)
            out.orgNames.reserveCapacity(ids.count)
            for org in out.orgs { out.orgNames[org.id] = org.name }
            switch source {
            case .orgs: break
            case .tasks:
                for id in ids {
                    guard let order = s.taskOrder[id] else { continue }
                    out.tasks.reserveCapacity(out.tasks.count + order.count)
                    for position in order { if let t = s.tasks[position: position] { out.tasks.append(t) } }
                }
            case .events:
                for id in ids { if let log = s.events[id] { logs.append(log) } }
            case .services:
                out.services = s.services.order.compactMap { s.services.byID[$0] }
            case .blockingTasks:
                out.blockingTasks = s.blocking.order.compactMap { id in s.blocking.byID[id].map { ($0, s.tasks[$0.taskID]?.status) } }
            }
            return out
        }
        // Deques were copied by reference under the lock; turning them into arrays happens outside it.
        snapshot.eventLogs = logs.map { Array($0) }
        return snapshot
    }
}
