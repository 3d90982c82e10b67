import VCDCore

/// `User` (admin view), `Role` and the `AdminOrg`/`User` bodies clients post (§3.4).
public enum UserDocument {
    /// `manage`: the caller administers the user's org (edit and remove links, admin `up` link).
    public static func user(_ user: User, org: Org, manage: Bool, isCaller: Bool, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("User")
        w.attribute("href", hrefs.user(user.id))
        w.attribute("type", MediaType.user)
        w.attribute("id", urn("user", user.id))
        w.attribute("name", user.name)
        w.link(rel: "up", type: manage ? MediaType.adminOrg : MediaType.org, href: manage ? hrefs.adminOrg(org.id) : hrefs.org(org.id))
        if manage {
            w.link(rel: "edit", type: MediaType.user, href: hrefs.user(user.id))
            if !isCaller { w.link(rel: "remove", type: nil, href: hrefs.user(user.id)) }
        }
        w.link(rel: "down", type: MediaType.metadata, href: hrefs.metadata(.user(user.id), admin: true))
        w.description(user.description)
        w.element("FullName", user.fullName)
        w.element("EmailAddress", user.email)
        w.element("IsEnabled", user.enabled ? "true" : "false")
        w.element("IsLocked", "false")
        w.element("IsExternal", "false")
        w.reference("Role", href: hrefs.role(user.role.id), type: MediaType.role, name: user.role.displayName)
        w.end()
        return w.finish()
    }

    public static func role(_ role: Role, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("Role")
        w.attribute("href", hrefs.role(role.id))
        w.attribute("type", MediaType.role)
        w.attribute("id", urn("role", role.id))
        w.attribute("name", role.displayName)
        w.description(role.description)
        w.start("RightReferences")
        w.end()
        w.end()
        return w.finish()
    }

    /// `<AdminOrg name=…>` with FullName, Description, IsEnabled; Settings and everything else are ignored.
    public static func decodeOrg(_ root: ParsedElement) throws(XMLParseError) -> OrgDraft {
        try expectRoot(root, "AdminOrg")
        return OrgDraft(name: root["name"], fullName: root.child("FullName")?.text,
                        description: root.child("Description")?.text, enabled: try bool(root.child("IsEnabled")))
    }

    /// `<User name=…>` with FullName, EmailAddress, Description, IsEnabled, Role href and Password.
    public static func decodeUser(_ root: ParsedElement) throws(XMLParseError) -> UserDraft {
        try expectRoot(root, "User")
        var d = UserDraft(name: root["name"], password: root.child("Password")?.text)
        d.fullName = root.child("FullName")?.text
        d.email = root.child("EmailAddress")?.text
        d.description = root.child("Description")?.text
        d.enabled = try bool(root.child("IsEnabled"))
        if let role = root.child("Role") {
            guard let href = role["href"] else { throw XMLParseError(description: "The User's Role element needs an href attribute.") }
            let parts = href.split(separator: "/")
            d.roleID = parts.count >= 2 && parts[parts.count - 2] == "role" ? String(parts[parts.count - 1]) : ""
        }
        return d
    }

    /// xs:boolean; pyvcloud sends `true`/`false`, some clients `True`.
    static func bool(_ e: ParsedElement?) throws(XMLParseError) -> Bool? {
        guard let e else { return nil }
        switch e.text.trimmed.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw XMLParseError(description: "\(e.name) must be true or false, not \"\(e.text)\".")
        }
    }
}
