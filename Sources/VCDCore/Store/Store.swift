import DequeModule

/// Tunables of the simulated cloud.
public struct CloudSettings: Sendable {
    public var sessionIdleTimeoutMillis: Int64
    public var taskExpiryDays: Int
    /// Events kept per org; older ones are dropped and counted.
    public var eventRetention: Int

    public init(sessionIdleTimeoutMinutes: Int = 30, taskExpiryDays: Int = 90, eventRetention: Int = 10_000) {
        self.eventRetention = max(1, eventRetention)
        self.sessionIdleTimeoutMillis = Int64(sessionIdleTimeoutMinutes) * 60_000
        self.taskExpiryDays = taskExpiryDays
    }
}

/// A live session and its caller, built once per org revision (users live in orgs): a request's token
/// lookup is one hash and no copy of an org.
struct SessionEntry: Sendable {
    var session: Session
    var principal: Principal?
    var principalRevision: UInt64 = 0

    init(_ session: Session) { self.session = session }
}

/// Everything the cloud holds, in memory.
struct CloudState: Sendable {
    /// The orgs in fixture order, indexed by id (OrgTable.swift).
    var orgs = OrgTable()
    var orgIDByName: [String: String] = [:]
    /// user id -> org id
    var userOrg: [String: String] = [:]
    var tasks = TaskTable()
    /// org id -> its tasks' positions in `tasks`, in creation order (4 bytes a task, not a 24-byte id)
    var taskOrder: [String: [TaskTable.Position]] = [:]
    /// Shares repeated task strings and references between all tasks (fixture and posted alike).
    var interner = TaskInterner()
    var sessions: [SessionKey: SessionEntry] = [:]
    /// Access token (JWT) -> the session token it stands for.
    var accessTokens: [String: String] = [:]
    /// Bumped whenever an org, user or inventory item changes; rendered org documents are cached per revision.
    var orgRevision: UInt64 = 0
    var events: [String: Deque<Event>] = [:]
    /// Recorded by the operation in progress; handed to the sink once the lock is released.
    var justRecorded: [Event] = []
    var droppedEvents: [String: Int] = [:]
    /// Extension services and their API filters (§5).
    var services = ServiceRegistry()
    /// What `POST /mock/reset` goes back to: the loaded fixtures (Store+Reset.swift).
    var baseline = StateSnapshot()
    /// vApp operations in progress by task id, and a vApp id -> org id index (Store+VApps.swift).
    var pending: [String: PendingOperation] = [:]
    var vappOrg: [String: String] = [:]
    /// Blocking-task settings and the blocking tasks themselves (Store+BlockingTasks.swift).
    var blocking = BlockingTable()
}

/// The shared store. Every operation takes the lock once, briefly, and does no I/O inside it.
public final class Store: Sendable {
    let state: Locked<CloudState>
    public let clock: any TimeSource
    public let ids: any IDGenerator
    public let settings: CloudSettings
    /// Receivers of recorded events (the notifier, the `/mock/wait` registry), told in the order added.
    public let observers = Observers<WeakEventSink>()
    /// Durations and outcomes of vApp operations, and the one scheduler that advances them (Store+VAppWork.swift).
    public let work = VAppWork()

    /// `sink`, when given, is the first observer (held weakly like all observers: its owner keeps it alive).
    public init(orgs: [Org], tasks given: [CloudTask] = [], services: [ExtensionService] = [], clock: any TimeSource = SystemClock(),
                ids: any IDGenerator = RandomIDs(), settings: CloudSettings = CloudSettings(), sink: (any EventSink)? = nil,
                blockingTaskSettings: BlockingTaskSettings = BlockingTaskSettings(), interner: TaskInterner? = nil) {
        var s = CloudState()
        s.reserve(orgs: orgs, tasks: given)
        s.adoptOrgs(orgs)
        // The baseline keeps the interned tasks: it shares their storage with the live table. Tasks that
        // come with their interner (the fixture loader's) are already shared: the store adopts it.
        let tasks: [CloudTask]
        if let interner {
            s.interner = interner
            tasks = given
        } else {
            tasks = given.map { s.interner.intern($0) }
        }
        for task in tasks { s.insertTask(task) }
        s.services = ServiceRegistry(services)
        s.blocking.settings = blockingTaskSettings
        s.baseline = StateSnapshot(orgs: orgs, tasks: tasks, services: services, blockingTaskSettings: blockingTaskSettings)
        self.state = Locked(s)
        self.clock = clock
        self.ids = ids
        self.settings = settings
        if let sink { observers.add(sink) }
    }

    /// Runs a state change under the lock, then tells the observers what it recorded (outside the lock).
    func mutate<R>(_ body: (inout CloudState) throws(DomainError) -> R) throws(DomainError) -> R {
        var recorded: [Event] = []
        let result = try state.withLock { s throws(DomainError) -> R in
            defer {
                recorded = s.justRecorded
                s.justRecorded.removeAll(keepingCapacity: true)
            }
            return try body(&s)
        }
        if !recorded.isEmpty {
            observers.forEach { $0.recorded(recorded) }
        }
        return result
    }

    /// Orgs in fixture order.
    public var allOrgs: [Org] {
        state.withLock { $0.orgs.ordered }
    }

    /// Changes whenever anything an org document shows changes (tasks excluded).
    public var orgRevision: UInt64 { state.withLock { $0.orgRevision } }

    public func counts() -> [String: Int] {
        state.withLock { s in
            ["orgs": s.orgs.count, "users": s.userOrg.count, "tasks": s.tasks.count, "sessions": s.sessions.count,
             "services": s.services.byID.count, "events": s.events.values.reduce(0) { $0 + $1.count }]
        }
    }
}
