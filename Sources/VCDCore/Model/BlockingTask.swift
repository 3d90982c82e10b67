/// What happens to a blocking task nobody decided in time (vapps reference §9.2, §9.8).
public enum BlockingTaskAction: String, Sendable, CaseIterable {
    case resume, abort, fail

    /// The blocking task's status once this action was taken.
    public var outcome: BlockingTaskStatus {
        switch self {
        case .resume: .resumed
        case .abort: .aborted
        case .fail: .failed
        }
    }
}

/// `active` while it waits; the others are the mock's words for a decided one (reference §9.7, unconfirmed).
public enum BlockingTaskStatus: String, Sendable {
    case active, resumed, aborted, failed
}

/// `vmext:BlockingTaskSettings`: which task operationNames block, and for how long (§9.2).
public struct BlockingTaskSettings: Sendable, Equatable {
    public var timeoutAction: BlockingTaskAction
    /// Operation names in the order given; a new task blocks when its operationName is among them.
    public var operations: [String]
    public var timeoutMillis: Int64

    /// The reference's advice: 5 days, abort, nothing blocks.
    public init(timeoutAction: BlockingTaskAction = .abort, operations: [String] = [], timeoutMillis: Int64 = 432_000_000) {
        self.timeoutAction = timeoutAction
        self.operations = operations
        self.timeoutMillis = timeoutMillis
    }

    public func blocks(_ operationName: String) -> Bool { operations.contains(operationName) }
}

/// A blocked operation waiting for an extension's decision (§9.4, §9.5). Kept in its own table keyed by
/// id (and by the blocked task's id), so the task model stays as it is.
public struct BlockingTask: Sendable, Equatable {
    public var id: String
    public var taskID: String
    public var orgID: String
    public var orgName: String
    /// The operationName of the blocked task (the blocking task's `name`).
    public var operationName: String
    public var user: EntityRef
    /// The object the blocked task works on (the vApp or VM), as the request that started it saw it.
    public var owner: Reference?
    public var created: Timestamp
    public var timeoutDate: Timestamp
    public var timeoutAction: BlockingTaskAction
    public var status: BlockingTaskStatus
    /// The Message of the last action or progress update.
    public var message: String?

    public init(id: String, taskID: String, orgID: String, orgName: String, operationName: String, user: EntityRef,
                owner: Reference?, created: Timestamp, timeoutDate: Timestamp, timeoutAction: BlockingTaskAction) {
        self.id = id
        self.taskID = taskID
        self.orgID = orgID
        self.orgName = orgName
        self.operationName = operationName
        self.user = user
        self.owner = owner
        self.created = created
        self.timeoutDate = timeoutDate
        self.timeoutAction = timeoutAction
        self.status = .active
    }
}

extension EventType {
    public static let blockingTaskPrefix = prefix + "blockingtask/"
}
