/// An immutable value behind one pointer: tasks that name the same user or org share one of these
/// (TaskInterner) instead of each holding the two strings of an `EntityRef`.
final class Shared<Value: Sendable & Equatable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// The fields most tasks never set, kept out of line so that a task without them pays one pointer.
struct TaskExtras: Sendable, Equatable {
    var operationKey: String?
    var description: String?
    var owner: Reference?
    var error: TaskError?
    var details: String?
    var metadata: [MetadataEntry] = []

    var isEmpty: Bool {
        operationKey == nil && description == nil && owner == nil && error == nil && details == nil && metadata.isEmpty
    }
}

/// A task's fields. Only `CloudTask` mutates it, and only while it holds the sole reference
/// (copy on write), so sharing it across threads is safe.
final class TaskStorage: @unchecked Sendable {
    /// `end` when the task has no end time.
    static let none = Int64.min

    var id: CompactID
    var status: TaskStatus
    var cancelRequested = false
    var orgID: String
    var name: String
    var operation: String?
    var operationName: String?
    var serviceNamespace: String?
    var start: Int64
    var expiry: Int64
    var end: Int64 = TaskStorage.none
    var progress: Int?
    var user: Shared<EntityRef>?
    var organization: Shared<EntityRef>?
    var extras: Shared<TaskExtras>?

    init(id: CompactID, orgID: String, name: String, status: TaskStatus, start: Int64, expiry: Int64) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.status = status
        self.start = start
        self.expiry = expiry
    }

    func copy() -> TaskStorage {
        let c = TaskStorage(id: id, orgID: orgID, name: name, status: status, start: start, expiry: expiry)
        c.cancelRequested = cancelRequested
        c.operation = operation
        c.operationName = operationName
        c.serviceNamespace = serviceNamespace
        c.end = end
        c.progress = progress
        c.user = user
        c.organization = organization
        c.extras = extras
        return c
    }

    func editExtras(_ edit: (inout TaskExtras) -> Void) {
        var e = extras?.value ?? TaskExtras()
        edit(&e)
        extras = e.isEmpty ? nil : Shared(e)
    }

    func sameFields(as o: TaskStorage) -> Bool {
        id == o.id && status == o.status && cancelRequested == o.cancelRequested && orgID == o.orgID && name == o.name
            && operation == o.operation && operationName == o.operationName && serviceNamespace == o.serviceNamespace
            && start == o.start && expiry == o.expiry && end == o.end && progress == o.progress
            && user?.value == o.user?.value && organization?.value == o.organization?.value
            && (extras?.value ?? TaskExtras()) == (o.extras?.value ?? TaskExtras())
    }
}

/// Shares the repeated parts of tasks (namespaces, operations, names, user and org references) between
/// all tasks of a store, so that a task loaded from a fixture and one created by a POST cost the same.
/// Bounded: see `StringInterner`. Org ids are not interned: tasks get them from their org, already shared.
public struct TaskInterner: Sendable {
    var strings = StringInterner()
    var refs: [EntityRef: Shared<EntityRef>] = [:]
    let refCapacity = 1 << 16

    public init() {}

    mutating func ref(_ box: Shared<EntityRef>?) -> Shared<EntityRef>? {
        guard let box else { return nil }
        if let shared = refs[box.value] { return shared }
        if refs.count < refCapacity { refs[box.value] = box }
        return box
    }

    /// The task with its repeated parts shared with earlier tasks of this interner.
    public mutating func intern(_ task: CloudTask) -> CloudTask {
        var t = task
        let s = t.unique()
        s.name = strings.intern(s.name)
        s.operation = strings.intern(s.operation)
        s.operationName = strings.intern(s.operationName)
        s.serviceNamespace = strings.intern(s.serviceNamespace)
        s.user = ref(s.user)
        s.organization = ref(s.organization)
        return t
    }
}
