/// vCD building blocks on top of the plain writer.
extension XMLWriter {
    /// Root element in the v1.5 namespace with the resource attributes every entity starts with.
    func root(_ name: String, namespace: String = Namespace.vcloud) {
        start(name)
        attribute("xmlns", namespace)
    }

    func link(rel: String, type: String?, href: String, name: String? = nil) {
        start("Link")
        attribute("rel", rel)
        attribute("type", type)
        attribute("name", name)
        attribute("href", href)
        end()
    }

    /// A ReferenceType element (href, type, name).
    func reference(_ element: String, href: String, type: String?, name: String?) {
        start(element)
        attribute("type", type)
        attribute("name", name)
        attribute("href", href)
        end()
    }

    /// `Description` is optional in EntityType; omit it when empty.
    func description(_ text: String?) {
        guard let text, !text.isEmpty else { return }
        element("Description", text)
    }
}
