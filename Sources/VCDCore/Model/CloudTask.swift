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
public struct Reference: Sendable, Equatable {
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
public enum EntityRef: Sendable, Equatable {
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
public struct TaskError: Sendable, Equatable {
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

public struct CloudTask: Sendable, Equatable {
    public var id: String
    public var orgID: String
    public var name: String
    public var status: TaskStatus
    public var operation: String?
    public var operationName: String?
    public var operationKey: String?
    public var serviceNamespace: String?
    public var description: String?
    public var startTime: Timestamp
    public var endTime: Timestamp?
    public var expiryTime: Timestamp
    public var cancelRequested: Bool
    public var owner: Reference?
    public var error: TaskError?
    public var user: EntityRef?
    public var organization: EntityRef?
    public var progress: Int?
    public var details: String?

    public init(id: String, orgID: String, name: String, status: TaskStatus, startTime: Timestamp,
                expiryTime: Timestamp) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.status = status
        self.startTime = startTime
        self.expiryTime = expiryTime
        self.cancelRequested = false
    }
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
