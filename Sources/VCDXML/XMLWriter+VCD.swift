/// vCD building blocks on top of the plain writer.
extension XMLWriter {
    /// Root element in the v1.5 namespace with the resource attributes every entity starts with.
    func root(_ name: String, namespace: String = Namespace.vcloud) {
        start(name)
        attribute("xmlns", namespace)
    }

    /// The root of an entity document (EntityType): href, type, URN id and name, in vCD's order.
    func entityRoot(_ element: String, href: String, type: String, kind: String, id: String, name: String) {
        root(element)
        attribute("href", href)
        attribute("type", type)
        attribute("id", urn(kind, id))
        attribute("name", name)
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

/// vmext documents (extension and settings types): root in the vmext namespace, links in vcloud.
extension XMLWriter {
    func vmextRoot(_ name: String) {
        start("vmext:" + name)
        attribute("xmlns:vmext", Namespace.vmext)
        attribute("xmlns:vcloud", Namespace.vcloud)
    }

    /// pyvcloud finds links only in the v1.5 namespace, even inside vmext documents.
    func vcloudLink(rel: String, type: String?, href: String) {
        start("vcloud:Link")
        attribute("rel", rel)
        attribute("type", type)
        attribute("href", href)
        end()
    }
}

extension ParsedElement {
    /// A vmext child; the same name in another namespace is rejected rather than silently ignored.
    func vmextChild(_ name: String) throws(XMLParseError) -> ParsedElement? {
        guard let child = child(name) else { return nil }
        guard child.namespace == Namespace.vmext else {
            throw XMLParseError(description: "\(name) must be in namespace \(Namespace.vmext), like its \(self.name).")
        }
        return child
    }
}
