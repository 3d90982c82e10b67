import VCDCore

extension MediaType {
    public static let extensionServices = "application/vnd.vmware.admin.extensionServices+xml"
    public static let service = "application/vnd.vmware.admin.service+xml"
    public static let apiFilter = "application/vnd.vmware.admin.apiFilter+xml"
    public static let apiFilters = "application/vnd.vmware.admin.apiFilters+xml"
}

/// `ExtensionServices`, `Service` (AdminServiceType), `ApiFilters` and `ApiFilter` (reference §5.2–§5.4),
/// in the vmext namespace. Links are `vcloud:Link` and `Description` is `vcloud:Description`: both come
/// from the v1.5 base types, and pyvcloud looks links up only in v1.5. Only links that resolve here.
public enum ServiceDocument {
    public static func listHref(_ hrefs: Hrefs) -> String { hrefs.api("admin/extension/service") }
    public static func serviceHref(_ id: String, _ hrefs: Hrefs) -> String { hrefs.api("admin/extension/service/\(id)") }
    public static func filtersHref(_ serviceID: String, _ hrefs: Hrefs) -> String { serviceHref(serviceID, hrefs) + "/apifilters" }
    public static func filterHref(_ id: String, _ hrefs: Hrefs) -> String { hrefs.api("admin/extension/service/apifilter/\(id)") }

    /// The list holds references; pyvcloud registers through its `add` link.
    public static func list(_ services: [ExtensionService], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        root(w, "ExtensionServices")
        w.attribute("href", listHref(hrefs))
        w.attribute("type", MediaType.extensionServices)
        link(w, rel: "up", type: MediaType.vmwExtension, href: hrefs.api("admin/extension"))
        link(w, rel: "add", type: MediaType.service, href: listHref(hrefs))
        for s in services {
            w.start("vmext:Service")
            w.attribute("href", serviceHref(s.id, hrefs))
            w.attribute("type", MediaType.service)
            w.attribute("id", urn("externalService", s.id))
            w.attribute("name", s.name)
            w.end()
        }
        w.end()
        return w.finish()
    }

    /// Attributes and children in services.xsd order (EntityType first, then AdminServiceType).
    public static func service(_ s: ExtensionService, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        let href = serviceHref(s.id, hrefs)
        root(w, "Service")
        w.attribute("href", href)
        w.attribute("type", MediaType.service)
        w.attribute("id", urn("externalService", s.id))
        w.attribute("name", s.name)
        link(w, rel: "remove", type: nil, href: href)
        link(w, rel: "edit", type: MediaType.service, href: href)
        link(w, rel: "add", type: MediaType.apiFilter, href: filtersHref(s.id, hrefs))
        link(w, rel: "down", type: MediaType.apiFilters, href: filtersHref(s.id, hrefs))
        if !s.description.isEmpty { w.element("vcloud:Description", s.description) }
        w.element("vmext:Namespace", s.namespace)
        w.element("vmext:Enabled", s.enabled ? "true" : "false")
        w.element("vmext:AuthorizationEnabled", s.authorizationEnabled ? "true" : "false")
        w.element("vmext:RoutingKey", s.routingKey)
        w.element("vmext:Priority", String(s.priority))
        w.element("vmext:Exchange", s.exchange)
        if !s.vendor.isEmpty { w.element("vmext:Vendor", s.vendor) }
        w.start("vmext:ApiFilters")
        for f in s.filters { write(f, to: w, hrefs: hrefs) }
        w.end()
        w.end()
        return w.finish()
    }

    /// ApiFiltersType extends VCloudExtensibleType: no href, type or links of its own.
    public static func filters(_ filters: [APIFilter], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        root(w, "ApiFilters")
        for f in filters { write(f, to: w, hrefs: hrefs) }
        w.end()
        return w.finish()
    }

    public static func filter(_ f: APIFilter, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        write(f, to: w, hrefs: hrefs, root: true)
        return w.finish()
    }

    static func write(_ f: APIFilter, to w: XMLWriter, hrefs: Hrefs, root isRoot: Bool = false) {
        if isRoot { root(w, "ApiFilter") } else { w.start("vmext:ApiFilter") }
        w.attribute("href", filterHref(f.id, hrefs))
        w.attribute("type", MediaType.apiFilter)
        w.attribute("id", urn("apiFilter", f.id))
        link(w, rel: "remove", type: nil, href: filterHref(f.id, hrefs))
        w.element("vmext:UrlPattern", f.urlPattern)
        w.end()
    }

    // MARK: Reading client bodies

    /// A `vmext:Service` body. Server-owned parts (id, href, links) and the parts this mock does not model
    /// (ServiceLinks, ApiDefinitions, ResourceClasses) are ignored.
    public static func decodeService(_ root: ParsedElement) throws(XMLParseError) -> ServiceDraft {
        try expectRoot(root, "Service", namespace: Namespace.vmext)
        var d = ServiceDraft(name: root["name"])
        if let description = root.child("Description") {
            guard description.namespace == Namespace.vcloud else {
                throw XMLParseError(description: "Description must be in namespace \(Namespace.vcloud) (it comes from "
                    + "EntityType), not \(description.namespace ?? "none").")
            }
            d.description = description.text
        }
        d.namespace = try value(root, "Namespace")
        d.enabled = try boolean(root, "Enabled")
        d.authorizationEnabled = try boolean(root, "AuthorizationEnabled")
        d.routingKey = try value(root, "RoutingKey")
        if let priority = try value(root, "Priority") {
            guard let n = Int(priority.trimmed) else {
                throw XMLParseError(description: "Service Priority \"\(priority)\" is not an integer (0-100, 50 is neutral).")
            }
            d.priority = n
        }
        d.exchange = try value(root, "Exchange")
        d.vendor = try value(root, "Vendor")
        if let filters = try vmext(root, "ApiFilters") {
            d.filters = []
            for f in filters.children("ApiFilter") { d.filters?.append(try urlPattern(f)) }
        }
        return d
    }

    /// A `vmext:ApiFilter` body: its UrlPattern.
    public static func decodeFilter(_ root: ParsedElement) throws(XMLParseError) -> String {
        try expectRoot(root, "ApiFilter", namespace: Namespace.vmext)
        return try urlPattern(root)
    }

    // MARK: Helpers

    static func urlPattern(_ f: ParsedElement) throws(XMLParseError) -> String {
        if let pattern = try value(f, "UrlPattern") { return pattern }
        if f.child("ResponseContentType") != nil {
            throw XMLParseError(description: "ApiFilters with ResponseContentType are not supported by this mock; use UrlPattern.")
        }
        throw XMLParseError(description: "Each ApiFilter needs a UrlPattern child, e.g. /api/org/[^/]+/backups.")
    }

    private static func root(_ w: XMLWriter, _ name: String) { w.vmextRoot(name) }

    private static func link(_ w: XMLWriter, rel: String, type: String?, href: String) {
        w.vcloudLink(rel: rel, type: type, href: href)
    }

    private static func vmext(_ root: ParsedElement, _ name: String) throws(XMLParseError) -> ParsedElement? {
        try root.vmextChild(name)
    }

    private static func value(_ root: ParsedElement, _ name: String) throws(XMLParseError) -> String? {
        try vmext(root, name)?.text
    }

    /// xs:boolean: true, false, 1 or 0.
    private static func boolean(_ root: ParsedElement, _ name: String) throws(XMLParseError) -> Bool? {
        guard let text = try value(root, name) else { return nil }
        guard let value = xsBoolean(text) else {
            throw XMLParseError(description: "\(name) \"\(text)\" is not a boolean (true, false, 1 or 0).")
        }
        return value
    }
}
