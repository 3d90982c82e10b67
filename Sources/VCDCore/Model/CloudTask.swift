public enum TaskStatus: String, Sendable, CaseIterable {
    case queued, preRunning, running, success, error, canceled, aborted

    public var isTerminal: Bool {
        switch self {
        case .success, .error, .canceled, .aborted: true
        case .queued, .preRunning, .running: false
        }
    }

    /// pyvcloud reads `task.Error` for these; a task in them always carries one.
    public var needsError: Bool { self == .error || self == .canceled || self == .aborted }
}

/// A reference exactly as a client sent it (href, name, type).
public struct Reference: Sendable, Hashable {
    public var href: String
    public var name: String?
    public var type: String?

    public init(href: String, name: String? = nil, type: String? = nil) {
        self.href = href
        self.name = name
        self.type = type
    }
}

/// Either one of the mock's own entities (href built per request) or a client's reference kept verbatim.
public enum EntityRef: Sendable, Hashable {
    case user(id: String, name: String)
    case org(id: String, name: String)
    case task(id: String, name: String)
    case external(Reference)

    /// The mock's own entities as their kind word (`user`, `org`, `task`), id and name, or a client's
    /// reference: what URNs, notification links and the fixture format are made from.
    public enum Parts: Sendable {
        case local(kind: String, id: String, name: String)
        case external(Reference)
    }

    public var parts: Parts {
        switch self {
        case .user(let id, let name): .local(kind: "user", id: id, name: name)
        case .org(let id, let name): .local(kind: "org", id: id, name: name)
        case .task(let id, let name): .local(kind: "task", id: id, name: name)
        case .external(let r): .external(r)
        }
    }
}

/// The vCD `Error` carried inside a task.
public struct TaskError: Sendable, Hashable {
    public var message: String
    public var majorErrorCode: Int
    public var minorErrorCode: String
    public var vendorSpecificErrorCode: String?
    public var stackTrace: String?

    public init(message: String, majorErrorCode: Int = 500, minorErrorCode: String = "INTERNAL_SERVER_ERROR",
                vendorSpecificErrorCode: String? = nil, stackTrace: String? = nil) {
        self.message = message
        self.majorErrorCode = majorErrorCode
        self.minorErrorCode = minorErrorCode
        self.vendorSpecificErrorCode = vendorSpecificErrorCode
        self.stackTrace = stackTrace
    }
}

/// A task. Its fields live in one shared, copy-on-write storage object (CloudTask+Storage.swift): a copy
/// (the reset baseline, a list handed to a renderer) costs a retain, ids are kept as 16 bytes, and the
/// rarely set fields sit in one optional box. The properties below are the task's API; how they are
/// stored is private to this file pair.
public struct CloudTask: Sendable, Equatable {
    var s: TaskStorage

    public init(id: String, orgID: String, name: String, status: TaskStatus, startTime: Timestamp,
                expiryTime: Timestamp) {
        s = TaskStorage(id: CompactID(id), context: Shared(TaskContext(orgID: orgID)), texts: Shared(TaskTexts(name: name)), status: status,
                        start: startTime.milliseconds, expiry: expiryTime.milliseconds)
    }

    /// The storage, copied first if another task value shares it.
    mutating func unique() -> TaskStorage {
        if !isKnownUniquelyReferenced(&s) { s = s.copy() }
        return s
    }

    public var id: String {
        get { String(s.id) }
        set { unique().id = CompactID(newValue) }
    }
    /// The id as the store keys it (no text is made).
    public var compactID: CompactID { s.id }
    public var orgID: String {
        get { s.context.value.orgID }
        set { unique().editContext { $0.orgID = newValue } }
    }
    public var name: String {
        get { s.texts.value.name }
        set { unique().editTexts { $0.name = newValue } }
    }
    public var status: TaskStatus {
        get { s.status }
        set { unique().status = newValue }
    }
    public var operation: String? {
        get { s.texts.value.operation }
        set { unique().editTexts { $0.operation = newValue } }
    }
    public var operationName: String? {
        get { s.texts.value.operationName }
        set { unique().editTexts { $0.operationName = newValue } }
    }
    public var serviceNamespace: String? {
        get { s.texts.value.serviceNamespace }
        set { unique().editTexts { $0.serviceNamespace = newValue } }
    }
    public var startTime: Timestamp {
        get { Timestamp(milliseconds: s.start) }
        set { unique().start = newValue.milliseconds }
    }
    public var endTime: Timestamp? {
        get { s.end == TaskStorage.none ? nil : Timestamp(milliseconds: s.end) }
        set { unique().end = newValue?.milliseconds ?? TaskStorage.none }
    }
    public var expiryTime: Timestamp {
        get { Timestamp(milliseconds: s.expiry) }
        set { unique().expiry = newValue.milliseconds }
    }
    public var cancelRequested: Bool {
        get { s.cancelRequested }
        set { unique().cancelRequested = newValue }
    }
    public var progress: Int? {
        get { s.progress }
        set { unique().progress = newValue }
    }
    public var user: EntityRef? {
        get { s.context.value.user }
        set { unique().editContext { $0.user = newValue } }
    }
    public var organization: EntityRef? {
        get { s.context.value.organization }
        set { unique().editContext { $0.organization = newValue } }
    }
    public var operationKey: String? {
        get { s.extras?.value.operationKey }
        set { unique().editExtras { $0.operationKey = newValue } }
    }
    public var description: String? {
        get { s.extras?.value.description }
        set { unique().editExtras { $0.description = newValue } }
    }
    public var owner: Reference? {
        get { s.extras?.value.owner }
        set { unique().editExtras { $0.owner = newValue } }
    }
    public var error: TaskError? {
        get { s.extras?.value.error }
        set { unique().editExtras { $0.error = newValue } }
    }
    public var details: String? {
        get { s.extras?.value.details }
        set { unique().editExtras { $0.details = newValue } }
    }
    public var metadata: [MetadataEntry] {
        get { s.extras?.value.metadata ?? [] }
        set { unique().editExtras { $0.metadata = newValue } }
    }

    public static func == (a: CloudTask, b: CloudTask) -> Bool { a.s === b.s || a.s.sameFields(as: b.s) }
}

/// What a client may say about a task when creating or updating it (server-owned fields are absent).
public struct TaskDraft: Sendable, Equatable {
    public var name: String?
    public var status: String?
    public var operation: String?
    public var operationName: String?
    public var operationKey: String?
    public var serviceNamespace: String?
    public var description: String?
    public var owner: Reference?
    public var error: TaskError?
    public var user: Reference?
    public var organization: Reference?
    public var progress: Int?
    public var details: String?

    public init(name: String? = nil, status: String? = nil, serviceNamespace: String? = nil) {
        self.name = name
        self.status = status
        self.serviceNamespace = serviceNamespace
    }
}
