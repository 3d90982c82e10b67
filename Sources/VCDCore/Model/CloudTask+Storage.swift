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

/// Whose a task is: its org, the user it runs for and its organization reference. All tasks of one org
/// started by one user share one box (TaskInterner): 8 bytes per task instead of 32.
struct TaskContext: Sendable, Hashable {
    var orgID: String
    var user: EntityRef?
    var organization: EntityRef?
}

/// A task's fields. Only `CloudTask` mutates it, and only while it holds the sole reference
/// (copy on write), so sharing it across threads is safe. Laid out small (88 bytes, a 96-byte heap
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
    var context: Shared<TaskContext>
    var texts: Shared<TaskTexts>
    var start: Int64
    var expiry: Int64
    var end: Int64 = TaskStorage.none
    var extras: Shared<TaskExtras>?

    init(id: CompactID, context: Shared<TaskContext>, texts: Shared<TaskTexts>, status: TaskStatus, start: Int64, expiry: Int64) {
        self.id = id
        self.context = context
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
        let c = TaskStorage(id: id, context: context, texts: texts, status: status, start: start, expiry: expiry)
        c.cancelRequested = cancelRequested
        c.progressValue = progressValue
        c.end = end
        c.extras = extras
        return c
    }

    func editTexts(_ edit: (inout TaskTexts) -> Void) {
        var t = texts.value
        edit(&t)
        texts = Shared(t)
    }

    func editContext(_ edit: (inout TaskContext) -> Void) {
        var c = context.value
        edit(&c)
        context = Shared(c)
    }

    func editExtras(_ edit: (inout TaskExtras) -> Void) {
        var e = extras?.value ?? TaskExtras()
        edit(&e)
        extras = e.isEmpty ? nil : Shared(e)
    }

    func sameFields(as o: TaskStorage) -> Bool {
        id == o.id && status == o.status && cancelRequested == o.cancelRequested
            && (context === o.context || context.value == o.context.value)
            && (texts === o.texts || texts.value == o.texts.value)
            && start == o.start && expiry == o.expiry && end == o.end && progressValue == o.progressValue
            && (extras?.value ?? TaskExtras()) == (o.extras?.value ?? TaskExtras())
    }
}

extension CloudTask {
    /// A task built whole from parts already shared (`TaskInterner`): what `Store.createTask` makes,
    /// without a setter's copy-on-write check and a fresh box per field.
    init(id: CompactID, context: Shared<TaskContext>, texts: Shared<TaskTexts>, extras: Shared<TaskExtras>?,
         status: TaskStatus, start: Timestamp, expiry: Timestamp, end: Timestamp?, progress: Int?) {
        let storage = TaskStorage(id: id, context: context, texts: texts, status: status, start: start.milliseconds,
                                  expiry: expiry.milliseconds)
        storage.extras = extras
        storage.end = end?.milliseconds ?? TaskStorage.none
        storage.progress = progress
        s = storage
    }
}

/// Shares the repeated parts of tasks (namespaces, operations, names, user and org references) between
/// all tasks of a store, so that a task loaded from a fixture and one created by a POST cost the same.
/// Bounded: see `StringInterner`. Org ids are not interned: tasks get them from their org, already shared.
/// Consecutive tasks usually repeat the previous task's values: those are checked first, without hashing.
public struct TaskInterner: Sendable {
    var strings = StringInterner()
    var refs = BoxSet<EntityRef>()
    var texts = BoxSet<TaskTexts>()
    var contexts = BoxSet<TaskContext>()
    let refCapacity = 1 << 16
    private var lastTexts: Shared<TaskTexts>?
    private var lastContext: Shared<TaskContext>?
    private var lastRef: Shared<EntityRef>?
    /// Tasks that failed alike carry equal errors: the previous task's box is reused when equal.
    private var lastExtras: Shared<TaskExtras>?

    public init() {}

    /// One box per reference (events name their user through it), bounded like the others.
    mutating func ref(_ value: EntityRef) -> Shared<EntityRef> {
        if let recent = lastRef, recent.value == value { return recent }
        let found = refs[value]
        let shared = found ?? Shared(value)
        if refs.count < refCapacity, found == nil { refs.insert(shared) }
        lastRef = shared
        return shared
    }

    /// One box per (org, user, organization), bounded like `refs`.
    mutating func context(_ box: Shared<TaskContext>) -> Shared<TaskContext> {
        if let recent = lastContext, recent === box || recent.value == box.value { return recent }
        let shared = contexts[box.value] ?? box
        if contexts.count < refCapacity, shared === box { contexts.insert(box) }
        lastContext = shared
        return shared
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
        if texts.count < refCapacity { texts.insert(shared) }
        lastTexts = shared
        return shared
    }

    /// An interner holding only what `tasks` use (a reset's baseline): the boxes that runtime tasks
    /// added (a context per org a POST went to, new texts) are let go with those tasks instead of
    /// staying in the tables, where they pinned the pages the reset had freed.
    public static func keeping(_ tasks: [CloudTask]) -> TaskInterner {
        var fresh = TaskInterner()
        for task in tasks {
            let s = task.s
            if fresh.lastTexts !== s.texts, fresh.texts.count < fresh.refCapacity, fresh.texts[s.texts.value] == nil {
                let v = s.texts.value
                fresh.texts.insert(s.texts)
                for text in [v.name, v.operation, v.operationName, v.serviceNamespace] { _ = fresh.strings.intern(text) }
            }
            fresh.lastTexts = s.texts
            if fresh.lastContext !== s.context, fresh.contexts.count < fresh.refCapacity, fresh.contexts[s.context.value] == nil {
                fresh.contexts.insert(s.context)
            }
            fresh.lastContext = s.context
        }
        return fresh
    }

    /// Joins another interner's tables (fixture files built side by side): later tasks share this
    /// one's boxes; the other's tasks keep theirs. Values already here win; the bounds hold.
    public mutating func merge(_ other: TaskInterner) {
        strings.merge(other.strings)
        for box in other.texts.boxes where texts.count < refCapacity { texts.insert(box) }
        for box in other.contexts.boxes where contexts.count < refCapacity { contexts.insert(box) }
        for box in other.refs.boxes where refs.count < refCapacity { refs.insert(box) }
    }

    /// The shared box for these texts (a task built whole, `Store.createTask`): no box is made for a
    /// combination seen before.
    mutating func texts(_ value: TaskTexts) -> Shared<TaskTexts> {
        if let recent = lastTexts, recent.value == value { return recent }
        if let shared = texts[value] {
            lastTexts = shared
            return shared
        }
        return texts(Shared(value))
    }

    mutating func context(_ value: TaskContext) -> Shared<TaskContext> {
        if let recent = lastContext, recent.value == value { return recent }
        return context(Shared(value))
    }

    /// nil for no extras; the previous task's box when equal.
    mutating func extras(_ value: TaskExtras) -> Shared<TaskExtras>? {
        guard !value.isEmpty else { return nil }
        if let recent = lastExtras, recent.value == value { return recent }
        let box = Shared(value)
        lastExtras = box
        return box
    }

    /// The task with its repeated parts shared with earlier tasks of this interner. Its storage is only
    /// copied (if shared) when something actually changes.
    public mutating func intern(_ task: CloudTask) -> CloudTask {
        let s = task.s
        let texts = texts(s.texts)
        let context = context(s.context)
        var extras = s.extras
        if let e = extras, let l = lastExtras, e !== l, e.value == l.value { extras = l }
        lastExtras = extras ?? lastExtras
        if texts === s.texts && context === s.context && extras === s.extras { return task }
        var t = task
        let u = t.unique()
        u.texts = texts
        u.context = context
        u.extras = extras
        return t
    }
}
