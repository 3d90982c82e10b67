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
/// Consecutive tasks usually repeat the previous task's values: those are checked first, without hashing.
public struct TaskInterner: Sendable {
    var strings = StringInterner()
    var refs: [EntityRef: Shared<EntityRef>] = [:]
    let refCapacity = 1 << 16
    private var last: (name: String, operation: String?, operationName: String?, namespace: String?) = ("", nil, nil, nil)
    private var lastRefs: (Shared<EntityRef>?, Shared<EntityRef>?) = (nil, nil)
    /// Tasks that failed alike carry equal errors: the previous task's box is reused when equal.
    private var lastExtras: Shared<TaskExtras>?

    public init() {}

    mutating func ref(_ box: Shared<EntityRef>?, recent: Shared<EntityRef>?) -> Shared<EntityRef>? {
        guard let box else { return nil }
        if let recent, recent === box || recent.value == box.value { return recent }
        if let shared = refs[box.value] { return shared }
        if refs.count < refCapacity { refs[box.value] = box }
        return box
    }

    mutating func string(_ value: String?, recent: String?) -> String? {
        guard let value else { return nil }
        if let recent, recent == value { return recent }
        return strings.intern(value) as String
    }

    /// The task with its repeated parts shared with earlier tasks of this interner. Its storage is only
    /// copied (if shared) when something actually changes.
    public mutating func intern(_ task: CloudTask) -> CloudTask {
        let s = task.s
        let name = string(s.name, recent: last.name) ?? s.name
        let operation = string(s.operation, recent: last.operation)
        let operationName = string(s.operationName, recent: last.operationName)
        let namespace = string(s.serviceNamespace, recent: last.namespace)
        let user = ref(s.user, recent: lastRefs.0), organization = ref(s.organization, recent: lastRefs.1)
        last = (name, operation ?? last.operation, operationName ?? last.operationName, namespace ?? last.namespace)
        lastRefs = (user ?? lastRefs.0, organization ?? lastRefs.1)
        var extras = s.extras
        if let e = extras, let l = lastExtras, e !== l, e.value == l.value { extras = l }
        lastExtras = extras ?? lastExtras
        let same = sameStorage(name, s.name) && sameStorage(operation, s.operation) && sameStorage(operationName, s.operationName)
            && sameStorage(namespace, s.serviceNamespace) && user === s.user && organization === s.organization && extras === s.extras
        if same { return task }
        var t = task
        let u = t.unique()
        u.name = name
        u.operation = operation
        u.operationName = operationName
        u.serviceNamespace = namespace
        u.user = user
        u.organization = organization
        u.extras = extras
        return t
    }
}

/// Whether two strings are one storage (small strings live inline: equal ones count as the same).
func sameStorage(_ a: String?, _ b: String?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if a.utf8.count <= 15 || b.utf8.count <= 15 { return a == b }
    let pa = a.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
    let pb = b.utf8.withContiguousStorageIfAvailable { $0.baseAddress }
    guard let pa, let pb else { return false }
    return pa == pb
}
