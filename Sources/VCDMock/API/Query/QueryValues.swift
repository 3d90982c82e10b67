import VCDCore
import VCDXML

/// What a reference-valued record attribute points at. Records show it as an href, idrecords as a URN,
/// and a filter may name it by either href (user or admin form, any host), URN or bare id.
enum EntityLink: Sendable, Equatable {
    case org(String)
    case task(String)
    case user(String)
    case vdc(String)
    case catalog(String, admin: Bool)
    case network(String, admin: Bool)
    case service(String)
    case apiFilter(String)
    case role(String)
    /// A vApp, a VM of a vApp, a vApp template, a VM of a template, a catalog item (QueryTypes+VApps.swift).
    case vapp(String)
    case vm(String)
    case template(String)
    case templateVM(String)
    case catalogItem(String)
    /// A blocking task (QueryTypes+BlockingTasks.swift).
    case blockingTask(String)
    /// A client's own reference (a task's Owner, a posted event's User): kept verbatim.
    case external(String)

    func href(_ h: Hrefs) -> String {
        switch self {
        case .org(let id): h.org(id)
        case .task(let id): h.task(id)
        case .user(let id): h.user(id)
        case .vdc(let id): h.api("vdc/\(id)")
        case .catalog(let id, let admin): h.api((admin ? "admin/catalog/" : "catalog/") + id)
        case .network(let id, let admin): h.api((admin ? "admin/network/" : "network/") + id)
        case .service(let id): ServiceDocument.serviceHref(id, h)
        case .apiFilter(let id): ServiceDocument.filterHref(id, h)
        case .role(let id): h.role(id)
        case .vapp(let id): h.vapp(id)
        case .vm(let id): h.vm(id)
        case .template(let id): h.template(id)
        case .templateVM(let id): h.templateVM(id)
        case .catalogItem(let id): h.catalogItem(id)
        case .blockingTask(let id): BlockingTaskDocument.href(id, h)
        case .external(let href): href
        }
    }

    /// `urn:vcloud:<kind>:<id>`; a client's reference has no id of ours, so its href stands in.
    var urn: String {
        switch self {
        case .org(let id): VCDXML.urn("org", id)
        case .task(let id): VCDXML.urn("task", id)
        case .user(let id): VCDXML.urn("user", id)
        case .vdc(let id): VCDXML.urn("vdc", id)
        case .catalog(let id, _): VCDXML.urn("catalog", id)
        case .network(let id, _): VCDXML.urn("network", id)
        case .service(let id): VCDXML.urn("externalService", id)
        case .apiFilter(let id): VCDXML.urn("apiFilter", id)
        case .role(let id): VCDXML.urn("role", id)
        case .vapp(let id): VCDXML.urn("vapp", id)
        case .vm(let id), .templateVM(let id): VCDXML.urn("vm", id)
        case .template(let id): VCDXML.urn("vapptemplate", id)
        case .catalogItem(let id): VCDXML.urn("catalogitem", id)
        case .blockingTask(let id): VCDXML.urn("blockingTask", id)
        case .external(let href): href
        }
    }

    var id: String? {
        switch self {
        case .org(let id), .task(let id), .user(let id), .vdc(let id), .catalog(let id, _), .network(let id, _),
             .service(let id), .apiFilter(let id), .role(let id), .vapp(let id), .vm(let id), .template(let id),
             .templateVM(let id), .catalogItem(let id): id
        case .blockingTask(let id): id
        case .external: nil
        }
    }

    /// The paths this entity answers at, below `/api/` (both views where there are two).
    var paths: [String] {
        switch self {
        case .org(let id): ["org/\(id)", "admin/org/\(id)"]
        case .task(let id): ["task/\(id)"]
        case .user(let id): ["admin/user/\(id)"]
        case .vdc(let id): ["vdc/\(id)", "admin/vdc/\(id)"]
        case .catalog(let id, _): ["catalog/\(id)", "admin/catalog/\(id)"]
        case .network(let id, _): ["network/\(id)", "admin/network/\(id)"]
        case .service(let id): ["admin/extension/service/\(id)"]
        case .apiFilter(let id): ["admin/extension/service/apifilter/\(id)"]
        case .role(let id): ["admin/role/\(id)"]
        case .vapp(let id): ["vApp/vapp-\(id)"]
        case .vm(let id): ["vApp/vm-\(id)"]
        case .template(let id): ["vAppTemplate/vappTemplate-\(id)"]
        case .templateVM(let id): ["vAppTemplate/vm-\(id)"]
        case .catalogItem(let id): ["catalogItem/\(id)"]
        case .blockingTask(let id): ["admin/extension/blockingTask/\(id)"]
        case .external(let href): [Self.apiPath(href) ?? href]
        }
    }

    /// The part of an href after `/api/`, so that a filter matches whatever host the client used.
    static func apiPath(_ href: String) -> String? {
        let marker = Array("/api/".utf8)
        let b = Array(href.utf8)
        guard b.count >= marker.count,
              let start = (0...(b.count - marker.count)).first(where: { Array(b[$0..<$0 + marker.count]) == marker }) else {
            return nil
        }
        var path = String(decoding: b[(start + marker.count)...], as: UTF8.self)
        if path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

/// One attribute value of a record.
enum QueryValue: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case date(Timestamp)
    case link(EntityLink)

    func rendered(_ format: QueryFormat, _ h: Hrefs) -> String {
        switch self {
        case .string(let s): s
        case .int(let n): String(n)
        case .bool(let b): b ? "true" : "false"
        case .date(let t): t.iso8601
        case .link(let l): format == .idrecords ? l.urn : l.href(h)
        }
    }
}

enum QueryValueKind: String, Sendable {
    case string, number, boolean, date, reference
}

/// A record attribute: its name, what kind of value it holds and how to read it from a row.
struct QueryAttribute<Row>: Sendable {
    let name: String
    let kind: QueryValueKind
    let read: @Sendable (Row) -> QueryValue?

    static func string(_ name: String, _ get: @escaping @Sendable (Row) -> String?) -> Self {
        Self(name: name, kind: .string) { get($0).map(QueryValue.string) }
    }

    static func int(_ name: String, _ get: @escaping @Sendable (Row) -> Int?) -> Self {
        Self(name: name, kind: .number) { get($0).map(QueryValue.int) }
    }

    static func bool(_ name: String, _ get: @escaping @Sendable (Row) -> Bool?) -> Self {
        Self(name: name, kind: .boolean) { get($0).map(QueryValue.bool) }
    }

    static func date(_ name: String, _ get: @escaping @Sendable (Row) -> Timestamp?) -> Self {
        Self(name: name, kind: .date) { get($0).map(QueryValue.date) }
    }

    static func link(_ name: String, _ get: @escaping @Sendable (Row) -> EntityLink?) -> Self {
        Self(name: name, kind: .reference) { get($0).map(QueryValue.link) }
    }

    /// A value the mock does not model: always the same.
    static func constant(_ name: String, _ value: QueryValue) -> Self {
        let kind: QueryValueKind = switch value {
        case .string: .string
        case .int: .number
        case .bool: .boolean
        case .date: .date
        case .link: .reference
        }
        return Self(name: name, kind: kind) { _ in value }
    }
}

extension EntityRef {
    var link: EntityLink {
        switch self {
        case .user(let id, _): .user(id)
        case .org(let id, _): .org(id)
        case .task(let id, _): .task(id)
        case .external(let r): .external(r.href)
        }
    }

    var name: String? {
        switch self {
        case .user(_, let n), .org(_, let n), .task(_, let n): n
        case .external(let r): r.name
        }
    }

    /// `task`, `user`, `org`, or for a client's reference the short name inside its media type.
    var typeName: String? {
        switch self {
        case .user: "user"
        case .org: "org"
        case .task: "task"
        case .external(let r): r.type.flatMap(shortTypeName)
        }
    }
}

/// `application/vnd.vmware.vcloud.vApp+xml` -> `vApp` (what TaskRecord.objectType shows).
func shortTypeName(_ mediaType: String) -> String? {
    guard let plus = mediaType.lastIndex(of: "+") else { return nil }
    let head = mediaType[..<plus]
    guard let dot = head.lastIndex(of: ".") else { return nil }
    let name = head[head.index(after: dot)...]
    return name.isEmpty ? nil : String(name)
}
