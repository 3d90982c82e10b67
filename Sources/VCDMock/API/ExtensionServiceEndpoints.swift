import VCDCore
import VCDHTTP
import VCDXML

/// Extension-service registration (§5.1–§5.4), system administrators only. Forwarding of matching
/// requests reads the same registry through `Store.forwardingService(forPath:)`.
enum ExtensionServiceEndpoints {
    static func settings(_ c: Context) throws(APIError) -> Reply {
        _ = try admin(c)
        return .ok(MediaType.systemSettings, SystemSettingsDocument.settings(hrefs: c.hrefs))
    }

    static func list(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let services = try domain { () throws(DomainError) in try c.store.services(for: p) }
        return .ok(MediaType.extensionServices, ServiceDocument.list(services, hrefs: c.hrefs))
    }

    /// 201 with the full Service and a Location header (vCD answers 201 here, unlike task creation).
    static func register(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let draft = try decode(c, ServiceDocument.decodeService)
        let service = try domain { () throws(DomainError) in try c.store.registerService(draft, by: p) }
        return created(MediaType.service, ServiceDocument.service(service, hrefs: c.hrefs),
                       at: ServiceDocument.serviceHref(service.id, c.hrefs))
    }

    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let service = try domain { () throws(DomainError) in try c.store.service(c.param("id"), for: p) }
        return .ok(MediaType.service, ServiceDocument.service(service, hrefs: c.hrefs))
    }

    /// Enable, disable and edit are all this PUT; pyvcloud sends it without Content-Type.
    static func update(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let draft = try decode(c, ServiceDocument.decodeService)
        let service = try domain { () throws(DomainError) in try c.store.updateService(c.param("id"), draft, by: p) }
        return .ok(MediaType.service, ServiceDocument.service(service, hrefs: c.hrefs))
    }

    static func delete(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        try domain { () throws(DomainError) in try c.store.deleteService(c.param("id"), by: p) }
        return .noContent
    }

    static func filters(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let filters = try domain { () throws(DomainError) in try c.store.apiFilters(of: c.param("id"), for: p) }
        return .ok(MediaType.apiFilters, ServiceDocument.filters(filters, hrefs: c.hrefs))
    }

    static func addFilter(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let pattern = try decode(c, ServiceDocument.decodeFilter)
        let filter = try domain { () throws(DomainError) in
            try c.store.addApiFilter(to: c.param("id"), urlPattern: pattern, by: p)
        }
        return created(MediaType.apiFilter, ServiceDocument.filter(filter, hrefs: c.hrefs),
                       at: ServiceDocument.filterHref(filter.id, c.hrefs))
    }

    static func filter(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        let found = try domain { () throws(DomainError) in try c.store.apiFilter(c.param("id"), for: p) }
        return .ok(MediaType.apiFilter, ServiceDocument.filter(found.filter, hrefs: c.hrefs))
    }

    static func deleteFilter(_ c: Context) throws(APIError) -> Reply {
        let p = try admin(c)
        try domain { () throws(DomainError) in try c.store.deleteApiFilter(c.param("id"), by: p) }
        return .noContent
    }

    /// Checked before the body is read, so a tenant learns nothing from validation errors.
    static func admin(_ c: Context) throws(APIError) -> Principal {
        let p = try c.caller
        guard p.isSysadmin else {
            throw .forbidden("Only a system administrator may use \(c.request.path); log in to org System.")
        }
        return p
    }

    static func created(_ type: String, _ body: [UInt8], at href: String) -> Reply {
        Reply(status: 201, mediaType: type, body: body, headers: [HTTPHeader("Location", href)])
    }

    static func decode<T>(_ c: Context, _ read: (ParsedElement) throws(XMLParseError) -> T) throws(APIError) -> T {
        try c.decodeBody(read)
    }
}
