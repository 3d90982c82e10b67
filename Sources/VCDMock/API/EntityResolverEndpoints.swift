import VCDCore
import VCDXML

/// `GET /api/entity/{urn}` (§3.5): the object behind a URN from a document or a notification, scoped like
/// the object itself (403 for unknown ids and for other orgs' objects, as everywhere).
enum EntityResolverEndpoints {
    static func resolve(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let text = c.param("urn")
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "urn", parts[1] == "vcloud", !parts[3].isEmpty else {
            throw .badRequest("\"\(text)\" is not a vCloud URN; expected urn:vcloud:<kind>:<id>, e.g. urn:vcloud:org:26.")
        }
        let kind = String(parts[2])
        let id = String(parts[3])
        let h = c.hrefs
        let (name, type, href): (String, String, String) = try domain { () throws(DomainError) in
            switch kind {
            case "org":
                let org = try c.store.org(id, for: p)
                return (org.name, MediaType.org, h.org(org.id))
            case "vdc", "catalog", "network":
                let k = InventoryItem.Kind(rawValue: kind) ?? .vdc
                let (_, item) = try c.store.item(k, id, for: p)
                return (item.name, InventoryDocument.names(k, admin: false).1, h.item(item))
            case "user":
                let (_, user) = try c.store.user(id, for: p)
                return (user.name, MediaType.user, h.user(user.id))
            case "task":
                let task = try c.store.task(id, for: p)
                return (task.name, MediaType.task, h.task(task.id))
            case "role":
                guard let role = Role(id: id) else { throw .noAccess("role", id) }
                return (role.displayName, MediaType.role, h.role(role.id))
            case "vapp":
                let view = try c.store.vapp(id, for: p)
                return (view.vapp.name, MediaType.vApp, h.vapp(view.vapp.id))
            case "vm":
                // A VM of a vApp, or of a template in a catalog.
                if let view = try? c.store.vappOfVM(id, for: p), let vm = view.vapp.vms.first(where: { $0.id == id }) {
                    return (vm.name, MediaType.vm, h.vm(vm.id))
                }
                let (_, _, vm) = try c.store.templateVM(id, for: p)
                return (vm.name, MediaType.vm, h.templateVM(vm.id))
            case "vapptemplate":
                let (_, item) = try c.store.template(id, for: p)
                return (item.name, MediaType.vAppTemplate, h.template(item.templateID))
            case "catalogitem":
                let (_, item) = try c.store.catalogItem(id, for: p)
                return (item.name, MediaType.catalogItem, h.catalogItem(item.id))
            case "externalService", "service":
                let service = try c.store.service(id, for: p)
                return (service.name, MediaType.service, ServiceDocument.serviceHref(service.id, h))
            case _ where kind.lowercased() == "blockingtask":  // the docs write it both ways (vapps reference §1.3)
                let b = try c.store.blockingTask(id, for: p)
                return (b.operationName, MediaType.blockingTask, BlockingTaskDocument.href(b.id, h))
            default:
                throw .noAccess(kind, id)
            }
        }
        return .ok(MediaType.entity, EntityDocument.entity(urn: "urn:vcloud:\(kind):\(id)", name: name, type: type, href: href, hrefs: h))
    }
}
