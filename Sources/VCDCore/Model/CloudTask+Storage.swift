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

/// The texts that name what a task does. Tasks of one service repeat the same few combinations, so the
/// interner shares one box per combination: a task pays 8 bytes for all four instead of 64.
struct TaskTexts: Sendable, Hashable {
    var name: String
    var operation: String?
    var operationName: String?
    var serviceNamespace: String?
}

/// A task's fields. Only `CloudTask` mutates it, and only while it holds the sole reference
/// (copy on write), so sharing it across threads is safe. Laid out small (112 bytes, a 128-byte heap
/// block; it was 192 in a 208-byte block): at 100,000 fixture tasks every byte here is 100 KB.
final class TaskStorage: @unchecked Sendable {
    /// `end` when the task has no end time.
    static let none = Int64.min
    /// `progress` when the task has none.
    static let noProgress: Int8 = -1

    var id: CompactID
    var status: TaskStatus
    var cancelRequested = false
    var progressValue: Int8 = TaskStorage.noProgress
    var orgID: String
    var texts: Shared<TaskTexts>
    var start: Int64
    var expiry: Int64
    var end: Int64 = TaskStorage.none
    var user: Shared<EntityRef>?
    var organization: Shared<EntityRef>?
    var extras: Shared<TaskExtras>?

    init(id: CompactID, orgID: String, texts: Shared<TaskTexts>, status: TaskStatus, start: Int64, expiry: Int64) {
        self.id = id
        self.orgID = orgID
        self.texts = texts
        self.status = status
        self.start = start
        self.expiry = expiry
    }

    var progress: Int? {
        get { progressValue == Self.noProgress ? nil : Int(progressValue) }
        // Stored values are 0...100 (TaskRules.progress); anything else could not be stored in 8 bits.
        set { progressValue = newValue.flatMap { Int8(exactly: $0) }.flatMap { $0 >= 0 ? $0 : nil } ?? Self.noProgress }
    }

    func copy() -> TaskStorage {
        let c = TaskStorage(id: id, orgID: orgID, texts: texts, status: status, start: start, expiry: expiry)
        c.cancelRequested = cancelRequested
        c.progressValue = progressValue
        c.end = end
        c.user = user
        c.organization = organization
        c.extras = extras
        return c
    }

    func editTexts(_ edit: (inout TaskTexts) -> Void) {
        var t = texts.value
        edit(&t)
        texts = Shared(t)
    }

    func editExtras(_ edit: (inout TaskExtras) -> Void) {
        var e = extras?.value ?? TaskExtras()
        edit(&e)
        extras = e.isEmpty ? nil : Shared(e)
    }

    func sameFields(as o: TaskStorage) -> Bool {
        id == o.id && status == o.status && cancelRequested == o.cancelRequested && orgID == o.orgID
            && (texts === o.texts || texts.value == o.texts.value)
            && start == o.start && expiry == o.expiry && end == o.end && progressValue == o.progressValue
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
    var texts: [TaskTexts: Shared<TaskTexts>] = [:]
    let refCapacity = 1 << 16
    private var lastTexts: Shared<TaskTexts>?
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

    /// One box per combination of texts (bounded like `refs`), its strings shared with other combinations.
    mutating func texts(_ box: Shared<TaskTexts>) -> Shared<TaskTexts> {
        if let recent = lastTexts, recent === box || recent.value == box.value { return recent }
        if let shared = texts[box.value] {
            lastTexts = shared
            return shared
        }
        let v = box.value
        let interned = TaskTexts(name: strings.intern(v.name), operation: strings.intern(v.operation),
                                 operationName: strings.intern(v.operationName), serviceNamespace: strings.intern(v.serviceNamespace))
        let shared = Shared(interned)
        if texts.count < refCapacity { texts[interned] = shared }
        lastTexts = shared
        return shared
    }

    /// The task with its repeated parts shared with earlier tasks of this interner. Its storage is only
    /// copied (if shared) when something actually changes.
    public mutating func intern(_ task: CloudTask) -> CloudTask {
        let s = task.s
        let texts = texts(s.texts)
        let user = ref(s.user, recent: lastRefs.0), organization = ref(s.organization, recent: lastRefs.1)
        lastRefs = (user ?? lastRefs.0, organization ?? lastRefs.1)
        var extras = s.extras
        if let e = extras, let l = lastExtras, e !== l, e.value == l.value { extras = l }
        lastExtras = extras ?? lastExtras
        if texts === s.texts && user === s.user && organization === s.organization && extras === s.extras { return task }
        var t = task
        let u = t.unique()
        u.texts = texts
        u.user = user
        u.organization = organization
        u.extras = extras
        return t
    }
}
