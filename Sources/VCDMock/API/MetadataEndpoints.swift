import VCDCore
import VCDHTTP
import VCDXML

/// Metadata of orgs, vdcs, catalogs, users and tasks (§8): read the whole set or one key, merge (POST),
/// set one key (PUT), remove one key (DELETE). Writes answer 202 with a `metadataUpdate` task that has
/// already succeeded.
enum MetadataEndpoints {
    /// The objects with metadata, each under the href prefix that names it.
    struct Owner: Sendable {
        let prefix: String
        let admin: Bool
        /// Admin views of orgs and catalogs are for administrators of the org, like the objects themselves.
        var adminOnly = false
        let target: @Sendable (String) -> MetadataTarget
    }

    static let owners: [Owner] = [
        Owner(prefix: "/api/org/{id}", admin: false) { .org($0) },
        Owner(prefix: "/api/admin/org/{id}", admin: true, adminOnly: true) { .org($0) },
        Owner(prefix: "/api/vdc/{id}", admin: false) { .vdc($0) },
        Owner(prefix: "/api/catalog/{id}", admin: false) { .catalog($0) },
        Owner(prefix: "/api/admin/catalog/{id}", admin: true, adminOnly: true) { .catalog($0) },
        Owner(prefix: "/api/admin/user/{id}", admin: true) { .user($0) },
        Owner(prefix: "/api/task/{id}", admin: false) { .task($0) },
    ]

    /// The caller's view of the object's metadata, refused like the object itself.
    static func view(_ c: Context, _ o: Owner, _ p: Principal) throws(APIError) -> MetadataView {
        let t = o.target(c.param("id"))
        let view = try domain { () throws(DomainError) in try c.store.metadata(of: t, for: p) }
        if o.adminOnly && !p.administers(orgID: view.orgID) { throw APIError(DomainError.noAccess(t.kind, t.id)) }
        return view
    }

    /// Every metadata route: `…/metadata`, `…/metadata/{key}` (domain GENERAL) and `…/metadata/{domain}/{key}`.
    static func add(to r: inout Router<Endpoint>) {
        for o in owners {
            let base = o.prefix + "/metadata"
            r.add("GET", base, name: "MetadataEndpoints.list", .session { c throws(APIError) in try list(c, o) })
            r.add("POST", base, name: "MetadataEndpoints.merge",
                  .session(body: [MediaType.metadata]) { c throws(APIError) in try merge(c, o) })
            for pattern in [base + "/{key}", base + "/{domain}/{key}"] {
                r.add("GET", pattern, name: "MetadataEndpoints.get", .session { c throws(APIError) in try get(c, o) })
                r.add("PUT", pattern, name: "MetadataEndpoints.put",
                      .session(body: [MediaType.metadataValue]) { c throws(APIError) in try put(c, o) })
                r.add("DELETE", pattern, name: "MetadataEndpoints.delete", .session { c throws(APIError) in try delete(c, o) })
            }
        }
    }

    static func list(_ c: Context, _ o: Owner) throws(APIError) -> Reply {
        let view = try view(c, o, try c.caller)
        return .ok(MediaType.metadata, MetadataDocument.metadata(view, admin: o.admin, hrefs: c.hrefs))
    }

    static func get(_ c: Context, _ o: Owner) throws(APIError) -> Reply {
        let p = try c.caller
        let d = try domainParam(c)
        _ = try view(c, o, p)
        let (view, entry) = try domain { () throws(DomainError) in
            try c.store.metadataEntry(of: o.target(c.param("id")), domain: d, key: c.param("key"), for: p)
        }
        return .ok(MediaType.metadataValue, MetadataDocument.value(view, entry, admin: o.admin, hrefs: c.hrefs))
    }

    static func merge(_ c: Context, _ o: Owner) throws(APIError) -> Reply {
        let entries = try c.decodeBody(MetadataDocument.decodeMetadata)
        return try write(c, o, entries)
    }

    /// The domain in the path wins over a `Domain` in the body when they disagree: the body's visibility is kept.
    static func put(_ c: Context, _ o: Owner) throws(APIError) -> Reply {
        let d = try domainParam(c)
        let root = try c.xmlBody()
        var entry: MetadataEntry
        do { entry = try MetadataDocument.decodeValue(root, key: c.param("key")) } catch { throw APIError(error) }
        if root.child("Domain") != nil, entry.domain != d {
            throw .badRequest("The body's Domain \(entry.domain.rawValue) differs from the path's \(d.rawValue).")
        }
        entry.domain = d
        if root.child("Domain") == nil { entry.visibility = d == .system ? .readOnly : .readWrite }
        return try write(c, o, [entry])
    }

    static func delete(_ c: Context, _ o: Owner) throws(APIError) -> Reply {
        let p = try c.caller
        let d = try domainParam(c)
        let t = o.target(c.param("id"))
        let owner = try ownerReference(c, o, p)
        let task = try domain { () throws(DomainError) in try c.store.removeMetadata(on: t, domain: d, key: c.param("key"), owner: owner, by: p) }
        return accepted(task, c)
    }

    static func write(_ c: Context, _ o: Owner, _ entries: [MetadataEntry]) throws(APIError) -> Reply {
        let p = try c.caller
        let t = o.target(c.param("id"))
        let owner = try ownerReference(c, o, p)
        let task = try domain { () throws(DomainError) in try c.store.setMetadata(on: t, entries, owner: owner, by: p) }
        return accepted(task, c)
    }

    /// 202 and the finished task, as vCD answers metadata writes.
    static func accepted(_ task: CloudTask, _ c: Context) -> Reply {
        Reply(status: 202, mediaType: MediaType.task, body: TaskDocument.task(task, hrefs: c.hrefs),
              headers: [HTTPHeader("Location", c.hrefs.task(task.id))])
    }

    /// The task's Owner: the object, in the user view (admin view for users, which have no other).
    static func ownerReference(_ c: Context, _ o: Owner, _ p: Principal) throws(APIError) -> Reference {
        let view = try view(c, o, p)
        let t = view.target
        return Reference(href: c.hrefs.owner(t, admin: false), name: view.name, type: MetadataDocument.ownerType(t, admin: false))
    }

    static func domainParam(_ c: Context) throws(APIError) -> MetadataEntry.Domain {
        guard let text = c.parameters["domain"] else { return .general }
        guard let d = MetadataEntry.Domain(rawValue: text) else {
            throw .badRequest("Metadata domain \"\(text)\" in the path is not GENERAL or SYSTEM.")
        }
        return d
    }
}
