/// vCD's ResourceEntity `status` codes for vApps, VMs and templates (reference §5.1).
public enum VAppStatus: Int8, Sendable, CaseIterable {
    case failedCreation = -1, unresolved = 0, resolved = 1, suspended = 3, poweredOn = 4, poweredOff = 8, mixed = 10

    /// The names used in fixture files.
    public var fixtureName: String {
        switch self {
        case .failedCreation: "failedCreation"
        case .unresolved: "unresolved"
        case .resolved: "resolved"
        case .suspended: "suspended"
        case .poweredOn: "poweredOn"
        case .poweredOff: "poweredOff"
        case .mixed: "mixed"
        }
    }

    public init?(fixtureName: String) {
        guard let found = Self.allCases.first(where: { $0.fixtureName == fixtureName }) else { return nil }
        self = found
    }

    /// What the query service prints (`status="POWERED_ON"`).
    public var queryName: String {
        switch self {
        case .failedCreation: "FAILED_CREATION"
        case .unresolved: "UNRESOLVED"
        case .resolved: "RESOLVED"
        case .suspended: "SUSPENDED"
        case .poweredOn: "POWERED_ON"
        case .poweredOff: "POWERED_OFF"
        case .mixed: "MIXED"
        }
    }
}

/// A VM of a template or of a vApp. Its power state lives here so that VM actions can differ from the vApp's.
public struct VirtualMachine: Sendable, Equatable {
    public var id: String
    public var name: String
    public var osType: String
    public var cpus: Int32
    public var memoryMB: Int32
    public var status: VAppStatus
    public var deployed: Bool

    public init(id: String, name: String, osType: String = "otherGuest", cpus: Int32 = 1, memoryMB: Int32 = 512,
                status: VAppStatus = .poweredOff, deployed: Bool = false) {
        self.id = id
        self.name = name
        self.osType = osType
        self.cpus = cpus
        self.memoryMB = memoryMB
        self.status = status
        self.deployed = deployed
    }
}

/// A catalog item holding a vApp template (the only kind of item the mock has; no media).
public struct CatalogItem: Sendable, Equatable {
    public var id: String
    public var templateID: String
    public var catalogID: String
    public var name: String
    public var description: String
    public var vms: [VirtualMachine]

    public init(id: String, templateID: String, catalogID: String, name: String, description: String = "",
                vms: [VirtualMachine] = []) {
        self.id = id
        self.templateID = templateID
        self.catalogID = catalogID
        self.name = name
        self.description = description
        self.vms = vms
    }
}

/// A vApp in a vdc. Its status and `deployed` follow its VMs (§6.2); without VMs they are its own.
public struct VApp: Sendable, Equatable {
    public var id: String
    public var vdcID: String
    public var name: String
    public var description: String
    /// A user of the org.
    public var ownerID: String
    public var created: Timestamp
    /// The status while it has no VMs (being created, failed, or composed empty).
    public var ownStatus: VAppStatus
    public var vms: [VirtualMachine]
    /// The task running on it: while set, the vApp is busy and shows no action links.
    public var busyTaskID: String?

    public init(id: String, vdcID: String, name: String, description: String = "", ownerID: String, created: Timestamp,
                ownStatus: VAppStatus = .resolved, vms: [VirtualMachine] = []) {
        self.id = id
        self.vdcID = vdcID
        self.name = name
        self.description = description
        self.ownerID = ownerID
        self.created = created
        self.ownStatus = ownStatus
        self.vms = vms
    }

    /// The common status of the VMs, MIXED when they differ (§6.2).
    public var status: VAppStatus {
        guard let first = vms.first else { return ownStatus }
        return vms.allSatisfy({ $0.status == first.status }) ? first.status : .mixed
    }

    public var deployed: Bool { vms.contains(where: \.deployed) }
}
