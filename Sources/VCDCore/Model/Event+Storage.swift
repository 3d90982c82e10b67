/// The fields of an event that is not simply about a task as it was (logins, posted events, vApp and
/// blocking-task events, events loaded from fixtures), in one box.
struct EventFields: Sendable, Equatable {
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
final class EventStorage: Sendable {
    enum Detail: Sendable {
        /// The task as it was when the event was recorded: its storage is shared with the task table
        /// until the task changes (copy on write), so the event adds no copy of the task's strings.
        case task(CloudTask)
        case fields(Shared<EventFields>)
    }

    let id: CompactID
    let type: String
    let user: Shared<EntityRef>
    let detail: Detail

    init(id: CompactID, type: String, user: Shared<EntityRef>, detail: Detail) {
        self.id = id
        self.type = type
        self.user = user
        self.detail = detail
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
            EventFields(typeFull: typeFull, serviceNamespace: serviceNamespace, success: success, timestamp: timestamp.milliseconds,
                        orgID: orgID, owner: owner, entity: entity, operationName: operationName, task: nil)
        }
    }

    /// Setting a field gives the event its own copy of the fields (events are rarely edited: tests, imports).
    mutating func edit(_ change: (inout EventFields) -> Void) {
        var f = fields
        change(&f)
        s = EventStorage(id: s.id, type: s.type, user: s.user, detail: .fields(Shared(f)))
    }
}
