import Foundation
import VCDCore

/// What a fixture directory describes.
public struct Fixtures: Sendable {
    public var orgs: [Org]
    public var tasks: [CloudTask]
    /// Extension services, from the top-level `services:` of any file.
    public var services: [ExtensionService] = []
    /// Recorded events, from each org's `events:` (an export writes them; hand-written fixtures rarely do).
    public var events: [Event] = []
    /// The top-level `settings:` (AMQP broker and notifications), when a file has one.
    public var settings: FixtureSettings?
    /// The top-level `blockingTasks:` (which operations block, timeout and its action); defaults otherwise.
    public var blockingTaskSettings = BlockingTaskSettings()
    /// What the tasks' repeated strings and references were shared through; a store given it adopts it
    /// instead of sharing them again (`Store(..., interner:)`).
    public var interner = TaskInterner()

    public init(orgs: [Org], tasks: [CloudTask], services: [ExtensionService] = [], events: [Event] = [],
                settings: FixtureSettings? = nil, blockingTaskSettings: BlockingTaskSettings = BlockingTaskSettings()) {
        self.orgs = orgs
        self.tasks = tasks
        self.services = services
        self.events = events
        self.settings = settings
        self.blockingTaskSettings = blockingTaskSettings
    }

    public init(_ snapshot: StateSnapshot, settings: FixtureSettings? = nil) {
        self.init(orgs: snapshot.orgs, tasks: snapshot.tasks, services: snapshot.services, events: snapshot.events,
                  settings: settings, blockingTaskSettings: snapshot.blockingTaskSettings)
    }

    /// What the store holds of it.
    public var snapshot: StateSnapshot {
        StateSnapshot(orgs: orgs, tasks: tasks, services: services, events: events, blockingTaskSettings: blockingTaskSettings)
    }
}

/// Reads every `*.yaml` / `*.yml` file of a directory, in name order (format: Fixtures/README.md).
public enum FixtureLoader {
    public static func load(directory: String, now: Timestamp, requireSystem: Bool = true) throws(FixtureError) -> Fixtures {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw FixtureError(file: directory, line: nil, "cannot read the fixture directory (\(error.localizedDescription))")
        }
        guard !names.isEmpty else { throw FixtureError(file: directory, line: nil, "holds no .yaml or .yml file") }
        let files = FixtureFiles.parse(names.map { (directory as NSString).appendingPathComponent($0) })
        // Side by side when every file parsed; one by one (the first problem in file order) otherwise.
        let documents: [YAMLReader?] = files.compactMap { if case .success(let d) = $0 { .some(d) } else { nil } }
        if documents.count == files.count, let built = FixtureBuilder.parallel(documents, now: now) {
            return try built.finish(source: directory, requireSystem: requireSystem)
        }
        var builder = FixtureBuilder(now: now)
        builder.reserveClaims(nodes: documents.reduce(0) { n, document in n + (document?.tree.nodes.count ?? 0) })
        for parsed in files {
            try builder.add(try parsed.get())
        }
        return try builder.finish(source: directory, requireSystem: requireSystem)
    }

    /// One YAML text, for tests and for `POST`ed fixtures.
    /// `requireSystem: false` for extra orgs added to a running cloud (`POST /mock/fixtures`).
    public static func load(yaml: String, file: String = "<inline>", now: Timestamp,
                            requireSystem: Bool = true) throws(FixtureError) -> Fixtures {
        var builder = FixtureBuilder(now: now)
        try builder.add(yaml: yaml, file: file)
        return try builder.finish(source: file, requireSystem: requireSystem)
    }
}

/// Where a name or id was first defined; printed only in an error.
struct Location: CustomStringConvertible {
    let file: String
    let line: Int
    var description: String { "\(file):\(line)" }
}

struct FixtureBuilder {
    let now: Timestamp
    var orgs: [Org] = []
    var tasks: [CloudTask] = []
    var orgLines: [String: String] = [:]
    /// kind -> id -> where it was first used (text only when reporting)
    var ids: [String: [CompactID: Location]] = [:]
    var services: [ExtensionService] = []
    /// namespace -> where it was first defined
    var serviceNamespaces: [String: String] = [:]
    var events: [Event] = []
    var settings: FixtureSettings?
    var settingsLine: String?
    var blocking: BlockingTaskSettings?
    var blockingLine: String?
    var interner = TaskInterner()
    /// Tasks and events of the files before this builder's (FixtureBuilder+Parallel.swift): generated
    /// ids count from there.
    var taskBase = 0
    var eventBase = 0
    static let orgKeys = ["name", "id", "fullName", "description", "enabled", "users", "vdcs",
                          "catalogs", "networks", "metadata", "tasks", "events"]

    init(now: Timestamp) { self.now = now }

    mutating func add(yaml: String, file: String) throws(FixtureError) {
        try add(try YAMLReader.document(yaml: yaml, file: file))
    }

    /// One parsed file (`nil`: an empty document).
    mutating func add(_ document: YAMLReader?) throws(FixtureError) {
        guard let root = document else { return }
        let top = try root.mapping(allowed: ["orgs", "services", "settings", "blockingTasks"], context: "the file")
        for entry in try top["orgs"]?.sequence("orgs") ?? [] {
            try addOrg(entry)
        }
        for entry in try top["services"]?.sequence("services") ?? [] {
            try addService(entry)
        }
        if let node = top["settings"] { try addSettings(node) }
        if let node = top["blockingTasks"] { try addBlockingTasks(node) }
    }

    mutating func addOrg(_ r: YAMLReader) throws(FixtureError) {
        let f = try r.mapping(allowed: Self.orgKeys, context: "an org")
        guard let nameNode = f["name"] else { throw r.fail("an org needs a name") }
        let name = try nameNode.string("name")
        guard !name.isEmpty, !name.utf8.contains(UInt8(ascii: "/")) else { throw nameNode.fail("org name '\(name)' must be non-empty without '/'") }
        if let previous = orgLines[name.lowercased()] {
            throw nameNode.fail("org '\(name)' is defined twice (first at \(previous))")
        }
        orgLines[name.lowercased()] = "\(r.file):\(r.line ?? 0)"
        let id = try claim(f["id"].string("id", default: StableID.uuid("org", name)), kind: "org", at: f["id"] ?? nameNode)
        var org = Org(id: id, name: name, fullName: try f["fullName"].string("fullName", default: name),
                      description: try f["description"].string("description", default: ""),
                      enabled: try f["enabled"]?.bool("enabled") ?? true)
        for u in try f["users"]?.sequence("users") ?? [] { org.users.append(try user(u, org: org)) }
        for kind in InventoryItem.Kind.allCases {
            let key = kind == .vdc ? "vdcs" : kind.rawValue + "s"
            for i in try f[key]?.sequence(key) ?? [] {
                let item = try self.item(i, kind: kind, org: org)
                try addContents(i, of: item, to: &org)  // catalog items, vApps (FixtureLoader+VApps.swift)
                switch kind {
                case .vdc: org.vdcs.append(item)
                case .catalog: org.catalogs.append(item)
                case .network: org.networks.append(item)
                }
            }
        }
        org.metadata = try metadataList(f["metadata"])
        for t in try f["tasks"]?.sequence("tasks") ?? [] { tasks.append(interner.intern(try task(t, org: org))) }
        for e in try f["events"]?.sequence("events") ?? [] { events.append(try event(e, org: org)) }
        orgs.append(org)
    }

    mutating func claim(_ id: String, kind: String, at r: YAMLReader) throws(FixtureError) -> String {
        guard !id.isEmpty, !id.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") }) else { throw r.fail("\(kind) id '\(id)' must be non-empty without '/' or '?'") }
        // One lookup: on a clash the builder is thrown away, so overwriting the first location is harmless.
        if let previous = ids[kind, default: [:]].updateValue(Location(file: r.file, line: r.line ?? 0), forKey: CompactID(id)) {
            throw r.fail("\(kind) id '\(id)' is used twice (first at \(previous))")
        }
        return id
    }

    /// Room for the ids of `nodes` parsed YAML nodes, so the claim tables do not grow by rehashing
    /// (a generated task is about 15 nodes, an org with its user and inventory about 60).
    mutating func reserveClaims(nodes: Int) {
        ids["task", default: [:]].reserveCapacity(nodes / 16)
        for kind in ["org", "user", "vdc", "catalog", "network"] { ids[kind, default: [:]].reserveCapacity(nodes / 64) }
        tasks.reserveCapacity(nodes / 16)
    }

    mutating func user(_ r: YAMLReader, org: Org) throws(FixtureError) -> User {
        let f = try r.mapping(allowed: ["name", "id", "password", "role", "fullName", "email", "enabled", "description", "metadata"],
                              context: "a user")
        guard let nameNode = f["name"] else { throw r.fail("a user needs a name") }
        let name = try nameNode.string("name")
        if org.users.contains(where: { $0.name == name }) { throw nameNode.fail("user '\(name)' appears twice in org '\(org.name)'") }
        guard let pw = f["password"] else { throw r.fail("user '\(name)' needs a password") }
        let roleText = try f["role"].string("role", default: Role.user.rawValue)
        guard let role = Role(named: roleText) else {
            throw (f["role"] ?? r).fail("role '\(roleText)' is unknown; use one of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if role == .systemAdministrator && !org.isSystem {
            throw (f["role"] ?? r).fail("only users of org System can be system administrators")
        }
        let id = try claim(f["id"].string("id", default: StableID.uuid("user", org.name, name)), kind: "user", at: f["id"] ?? nameNode)
        var user = User(id: id, name: name, password: try pw.string("password"), role: role,
                        fullName: try f["fullName"].string("fullName", default: name),
                        email: try f["email"].string("email", default: ""))
        user.enabled = try f["enabled"]?.bool("enabled") ?? true
        user.description = try f["description"].string("description", default: "")
        user.metadata = try metadataList(f["metadata"])
        return user
    }

    mutating func item(_ r: YAMLReader, kind: InventoryItem.Kind, org: Org) throws(FixtureError) -> InventoryItem {
        let f = try r.mapping(allowed: Self.itemKeys(kind), context: "a \(kind.rawValue)")
        guard let nameNode = f["name"] else { throw r.fail("a \(kind.rawValue) needs a name") }
        let name = try nameNode.string("name")
        let id = try claim(f["id"].string("id", default: StableID.uuid(kind.rawValue, org.name, name)),
                           kind: kind.rawValue, at: f["id"] ?? nameNode)
        var item = InventoryItem(kind: kind, id: id, name: name, description: try f["description"].string("description", default: ""))
        item.metadata = try metadataList(f["metadata"])
        return item
    }

    func metadataList(_ r: YAMLReader?) throws(FixtureError) -> [MetadataEntry] {
        var out: [MetadataEntry] = []
        for m in try r?.sequence("metadata") ?? [] { out.append(try metadata(m)) }
        return out
    }

    /// `key`, `value`, `type` (string, number, boolean, dateTime), `domain` (GENERAL, SYSTEM) and `visibility`.
    func metadata(_ r: YAMLReader) throws(FixtureError) -> MetadataEntry {
        let f = try r.mapping(allowed: ["key", "value", "type", "domain", "visibility"], context: "a metadata entry")
        guard let key = f["key"], let value = f["value"] else { throw r.fail("a metadata entry needs key and value") }
        let typeText = try f["type"].string("type", default: "string")
        let types: [String: MetadataEntry.ValueType] = ["string": .string, "number": .number, "boolean": .boolean, "dateTime": .dateTime]
        guard let type = types[typeText] else { throw (f["type"] ?? r).fail("metadata type '\(typeText)' is unknown; use string, number, boolean or dateTime") }
        let domainText = try f["domain"].string("domain", default: "GENERAL")
        guard let domain = MetadataEntry.Domain(rawValue: domainText) else {
            throw (f["domain"] ?? r).fail("metadata domain '\(domainText)' is unknown; use GENERAL or SYSTEM")
        }
        let visibilityText = try f["visibility"].string("visibility", default: domain == .system ? "READONLY" : "READWRITE")
        guard let visibility = MetadataEntry.Visibility(rawValue: visibilityText) else {
            throw (f["visibility"] ?? r).fail("metadata visibility '\(visibilityText)' is unknown; use READWRITE, READONLY or PRIVATE")
        }
        let entry = MetadataEntry(key: try key.string("key"), value: try value.string("value"), type: type, domain: domain,
                                  visibility: visibility)
        do {
            try MetadataRules.check(entry)
        } catch {
            throw r.fail(error.message)
        }
        return entry
    }

    mutating func task(_ r: YAMLReader, org: Org) throws(FixtureError) -> CloudTask {
        let f = try r.mapping(allowed: ["id", "name", "status", "serviceNamespace", "operation", "operationName",
                                        "progress", "details", "startTime", "user", "endTime", "expiryTime", "operationKey",
                                        "description", "cancelRequested", "owner", "error", "organization", "metadata"], context: "a task")
        let statusText = try f["status"].string("status", default: "running")
        guard let status = TaskStatus(rawValue: statusText) else { throw (f["status"] ?? r).fail("task status '\(statusText)' is unknown") }
        var start = now
        if let s = f["startTime"] {
            guard let t = Timestamp(iso8601: try s.string("startTime")) else { throw s.fail("startTime must be ISO 8601, e.g. 2024-05-01T10:00:00.000Z") }
            start = t
        }
        let id = try claim(f["id"].string("id", default: StableID.uuid("task", org.name, String(taskBase + tasks.count))), kind: "task", at: f["id"] ?? r)
        var task = CloudTask(id: id, orgID: org.id, name: try f["name"].string("name", default: "task"), status: status,
                        startTime: start, expiryTime: try f["expiryTime"].map { n throws(FixtureError) in try timestamp(n, "expiryTime") }
                            ?? start.adding(days: 90))
        task.serviceNamespace = try f["serviceNamespace"].string("serviceNamespace", default: "org.example.vcd.fixture")
        task.operation = try f["operation"]?.string("operation")
        task.operationName = try f["operationName"]?.string("operationName")
        if let node = f["progress"] {
            let progress = try node.int("progress")
            guard (0...100).contains(progress) else { throw node.fail("task progress \(progress) is outside 0...100") }
            task.progress = progress
        }
        task.details = try f["details"]?.string("details")
        task.organization = .org(id: org.id, name: org.name)
        if let u = f["user"], u.isMapping {
            task.user = try ref(u, "user")
        } else if let u = f["user"] {
            let name = try u.string("user")
            guard let user = org.users.first(where: { $0.name == name }) else { throw u.fail("task user '\(name)' is not a user of org '\(org.name)'") }
            task.user = .user(id: user.id, name: user.name)
        }
        if status.isTerminal { task.endTime = start }
        if status.needsError { task.error = TaskError(message: "The task ended with status \"\(status.rawValue)\".") }
        try taskExtras(f, into: &task)
        task.metadata = try metadataList(f["metadata"])
        return task
    }

    func finish(source: String, requireSystem: Bool = true) throws(FixtureError) -> Fixtures {
        var all = Fixtures(orgs: orgs, tasks: tasks, services: services, events: events, settings: settings,
                           blockingTaskSettings: blocking ?? BlockingTaskSettings())
        all.interner = interner
        if !requireSystem { return all }
        guard let system = orgs.first(where: \.isSystem) else {
            throw FixtureError(file: source, line: nil, "no org named System: nobody could log in as system administrator")
        }
        guard system.users.contains(where: { $0.role == .systemAdministrator }) else {
            throw FixtureError(file: source, line: nil, "org System has no user with role 'system administrator'")
        }
        return all
    }
}
