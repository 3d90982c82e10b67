/// A `Role` (RoleType): the mock's three fixed roles, so the hrefs of role query records resolve.
public enum RoleDocument {
    public static let mediaType = "application/vnd.vmware.admin.role+xml"

    public static func href(_ slug: String, _ hrefs: Hrefs) -> String { hrefs.api("admin/role/\(slug)") }

    public static func role(slug: String, name: String, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("Role")
        w.attribute("href", href(slug, hrefs))
        w.attribute("type", mediaType)
        w.attribute("id", urn("role", slug))
        w.attribute("name", name)
        w.element("Description", "vcd-mock's built-in \(name) role")
        w.start("RightReferences")
        w.end()
        w.end()
        return w.finish()
    }
}
