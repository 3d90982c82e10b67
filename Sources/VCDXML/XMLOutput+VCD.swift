/// The vCD building blocks of `XMLWriter+VCD.swift` for renderers that write into an `XMLOutput`.
extension XMLOutput {
    /// A ReferenceType element (type, name, href) whose href is written in parts.
    mutating func reference(_ element: StaticString, type: String?, name: String?, href: (inout XMLOutput) -> Void) {
        start(element)
        attribute("type", type)
        attribute("name", name)
        attribute("href", parts: href)
        end()
    }

    /// `base` + `/api/` + `path` + `id`, the shape of every entity href (`Hrefs.api`).
    mutating func href(_ hrefs: Hrefs, _ path: StaticString, _ id: String) {
        value(hrefs.base)
        raw("/api/")
        raw(path)
        value(id)
    }

    /// `Description` is optional in EntityType; omit it when empty.
    mutating func description(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        element("Description", text)
    }
}
