import VCDCore

/// What an EntityLink, URN and routing-key word need: a `vcloud:<kind>`, a bare id and a name.
public struct NotificationSubject: Equatable, Sendable {
    public var kind: String
    public var id: String
    public var name: String?

    public init(kind: String, id: String, name: String?) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    public init(_ ref: EntityRef) {
        switch ref.parts {
        case .local(let kind, let id, let name): self.init(kind: kind, id: id, name: name)
        case .external(let r): self.init(external: r)
        }
    }

    /// The entity an event is about: its entity, else its user.
    public init(entityOf e: Event) { self.init(e.entity ?? e.user) }

    /// The task's Owner, or its org when the service posted none (consumers expect a task owner).
    public static func taskOwner(_ e: Event, orgName: String) -> NotificationSubject {
        NotificationSubject(e.owner.map(EntityRef.external) ?? .org(id: e.orgID, name: orgName))
    }

    /// A client's reference: kind from its media type (else from the href path), id from the href's last segment.
    init(external r: Reference) {
        var path = Substring(r.href)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        let segments = path.split(separator: "/")
        let kind = r.type.flatMap(Self.kind(mediaType:))
            ?? (segments.count >= 2 ? Self.normalized(String(segments[segments.count - 2])) : "entity")
        var id = segments.last.map(String.init) ?? r.href
        // vCD hrefs such as /api/vApp/vapp-<uuid> carry the kind; the URN holds only the uuid.
        if id.lowercased().hasPrefix(kind.lowercased() + "-"), id.count > kind.count + 1 {
            id = String(id.dropFirst(kind.count + 1))
        }
        self.init(kind: kind, id: id, name: r.name)
    }

    public var urn: String { VCDXML.urn(kind, id) }
    public var isTask: Bool { kind == "task" }

    /// `application/vnd.vmware.vcloud.org+xml` → `org`.
    static func kind(mediaType: String) -> String? {
        let bare = mediaType.split(separator: ";").first.map(String.init) ?? mediaType
        guard let plus = bare.lastIndex(of: "+") else { return nil }
        let name = bare[..<plus].split(separator: ".").last.map(String.init) ?? ""
        return name.isEmpty ? nil : normalized(name)
    }

    /// vCD's URN kinds are lower case, and admin views name some entities differently.
    static func normalized(_ name: String) -> String {
        let aliases = ["organization": "org", "adminorg": "org", "systemorganization": "org",
                       "orgnetwork": "network", "blockingtask": "blockingTask"]
        let lower = name.lowercased()
        return aliases[lower] ?? lower
    }
}
