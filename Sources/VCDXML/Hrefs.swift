import VCDCore

/// Builds every absolute href from one base URL (`--public-url`, or the request's Host).
public struct Hrefs: Sendable {
    public let base: String

    public init(base: String) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    public func api(_ path: String) -> String { base + "/api/" + path }

    public var session: String { api("session/") }
    public var orgList: String { api("org/") }
    public var admin: String { api("admin/") }
    public var sessions: String { api("sessions") }
    public var cloudAPISessions: String { base + "/cloudapi/1.0.0/sessions" }
    public var providerSessions: String { base + "/cloudapi/1.0.0/sessions/provider" }
    /// The records query of an org's vdcs that the Org links to from API 33 (pyvcloud's `list_vdcs`).
    public func orgVdcQuery(_ orgID: String) -> String {
        api("query?type=orgVdc&format=records&filter=org==\(org(orgID))")
    }
    public func schema(_ file: String) -> String { api("v1.5/schema/\(file)") }
    public func org(_ id: String) -> String { api("org/\(id)") }
    public func adminOrg(_ id: String) -> String { api("admin/org/\(id)") }
    public func tasksList(_ orgID: String) -> String { api("tasksList/\(orgID)") }
    public func task(_ id: String) -> String { api("task/\(id)") }
    public func user(_ id: String) -> String { api("admin/user/\(id)") }
    public func events(_ orgID: String) -> String { api("admin/org/\(orgID)/events") }
    public func metadata(org id: String, admin: Bool) -> String { (admin ? adminOrg(id) : org(id)) + "/metadata" }

    public func item(_ item: InventoryItem, admin: Bool = false) -> String {
        switch (item.kind, admin) {
        case (.vdc, _): api("vdc/\(item.id)")
        case (.catalog, false): api("catalog/\(item.id)")
        case (.catalog, true): api("admin/catalog/\(item.id)")
        case (.network, false): api("network/\(item.id)")
        case (.network, true): api("admin/network/\(item.id)")
        }
    }
}

/// `urn:vcloud:<kind>:<id>`
public func urn(_ kind: String, _ id: String) -> String { "urn:vcloud:\(kind):\(id)" }
