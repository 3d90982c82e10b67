/// The fields of an event that is not simply about a task as it was (logins, posted events, vApp and
/// blocking-task events, events loaded from fixtures), in one box.
struct EventFields: Sendable, Equatable {
    var type: String
    var typeFull: String
    var serviceNamespace: String
    var success: Bool
    var timestamp: Int64
    var orgID: String
    var owner: Reference?
    var entity: EntityRef?
    var operationName: String?
    var task: EntityRef?
}

/// An event's storage: immutable, so events are shared freely (the org's history, the notifier, `/mock/wait`).
/// 56 bytes, a 64-byte heap block: a task event's type is an index into `taskTypes` kept in the id's
/// padding (a `String` field made it an 80-byte block; every POST records one).
final class EventStorage: Sendable {
    enum Detail: Sendable {
        /// The task as it was when the event was recorded: its storage is shared with the task table
        /// until the task changes (copy on write), so the event adds no copy of the task's strings.
        case task(CloudTask)
        /// Anything else, its type included.
        case fields(Shared<EventFields>)
    }

    /// The types a task event can have (`recordTask`).
    static let taskTypes = [EventType.taskCreate, EventType.taskComplete, EventType.taskFail, EventType.taskAbort,
                            EventType.prefix + "task/start"]

    let id: CompactID
    /// For a task event, the index of its type in `taskTypes`.
    let taskType: UInt8
    let user: Shared<EntityRef>
    let detail: Detail

    init(id: CompactID, user: Shared<EntityRef>, fields: Shared<EventFields>) {
        (self.id, self.taskType, self.user, self.detail) = (id, 0, user, .fields(fields))
    }

    /// A task event of the type `taskTypes[taskType]`.
    init(id: CompactID, taskType: UInt8, user: Shared<EntityRef>, task: CloudTask) {
        (self.id, self.taskType, self.user, self.detail) = (id, taskType, user, .task(task))
    }

    /// The same event under another id or user.
    init(_ other: EventStorage, id: CompactID, user: Shared<EntityRef>) {
        (self.id, self.taskType, self.user, self.detail) = (id, other.taskType, user, other.detail)
    }

    var type: String {
        switch detail {
        case .task: Self.taskTypes[Int(taskType)]
        case .fields(let box): box.value.type
        }
    }
}

extension Event {
    /// One field: worked out from the task for a task event (what `recordTask` used to copy), else stored.
    @inline(__always)
    func pick<T>(_ fromTask: (CloudTask) -> T, _ stored: KeyPath<EventFields, T>) -> T {
        switch s.detail {
        case .task(let t): fromTask(t)
        case .fields(let box): box.value[keyPath: stored]
        }
    }

    /// All fields (a task event's worked out from its task).
    var fields: EventFields {
        switch s.detail {
        case .fields(let box):
            box.value
        case .task:
            EventFields(type: type, typeFull: typeFull, serviceNamespace: serviceNamespace, success: success, timestamp: timestamp.milliseconds,
                        orgID: orgID, owner: owner, entity: entity, operationName: operationName, task: nil)
        }
    }

    /// Setting a field gives the event its own copy of the fields (events are rarely edited: tests, imports).
    mutating func edit(_ change: (inout EventFields) -> Void) {
        var f = fields
        change(&f)
        s = EventStorage(id: s.id, user: s.user, fields: Shared(f))
    }
}
