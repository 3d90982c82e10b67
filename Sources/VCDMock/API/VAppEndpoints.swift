import VCDCore
import VCDHTTP
import VCDXML

/// Vdcs with their resources, catalogs with their items, templates, vApps and VMs and their actions
/// (vapps reference §2–§6). Actions answer 202 with a queued Task; the scheduler finishes it.
enum VAppEndpoints {
    static func vdc(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (org, vdc) = try domain { () throws(DomainError) in try c.store.item(.vdc, c.param("id"), for: p) }
        return .ok(MediaType.vdc, CatalogItemDocument.vdc(vdc, org: org, hrefs: c.hrefs))
    }

    static func catalog(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (org, catalog) = try domain { () throws(DomainError) in try c.store.item(.catalog, c.param("id"), for: p) }
        return .ok(MediaType.catalog, CatalogItemDocument.catalog(catalog, org: org, hrefs: c.hrefs))
    }

    static func catalogItem(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (_, item) = try domain { () throws(DomainError) in try c.store.catalogItem(c.param("id"), for: p) }
        return .ok(MediaType.catalogItem, CatalogItemDocument.catalogItem(item, hrefs: c.hrefs))
    }

    /// `/api/vAppTemplate/vappTemplate-{id}` or `/api/vAppTemplate/vm-{id}`.
    static func template(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let raw = c.param("id")
        if let id = strip(raw, "vm-") {
            let (_, item, vm) = try domain { () throws(DomainError) in try c.store.templateVM(id, for: p) }
            return .ok(MediaType.vm, CatalogItemDocument.templateVM(vm, item: item, hrefs: c.hrefs))
        }
        guard let id = strip(raw, "vappTemplate-") else { throw APIError(DomainError.noAccess("vapptemplate", raw)) }
        let (org, item) = try domain { () throws(DomainError) in try c.store.template(id, for: p) }
        return .ok(MediaType.vAppTemplate, CatalogItemDocument.template(item, org: org, hrefs: c.hrefs))
    }

    /// 201 with the new vApp, its running task inside, and `Location` (§4.3).
    static func instantiate(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let params = try c.decodeBody(VAppDocument.instantiateParams)
        let last = params.source.split(separator: "/").last.map(String.init) ?? ""
        guard params.source.contains("/vAppTemplate/"), let templateID = strip(last, "vappTemplate-") else {
            throw .badRequest("validation error : EntityRef has incorrect type, expected type is com.vmware.vcloud.entity.vapptemplate.")
        }
        let hrefs = c.hrefs
        let request = InstantiateRequest(name: params.name, description: params.description, templateID: templateID,
                                         deploy: params.deploy, powerOn: params.powerOn)
        let (vapp, task) = try domain { () throws(DomainError) in
            try c.store.instantiate(vdcID: c.param("id"), request, by: p) { id, name in
                Reference(href: hrefs.vapp(id), name: name, type: MediaType.vApp)
            }
        }
        return try created(vapp, task, c, p)
    }

    /// 201 with the new vApp, its running task inside, and `Location` (instantiate and compose).
    static func created(_ vapp: VApp, _ task: CloudTask, _ c: Context, _ p: Principal) throws(APIError) -> Reply {
        let org = try domain { () throws(DomainError) in try c.store.org(task.orgID, for: p) }
        return Reply(status: 201, mediaType: MediaType.vApp, body: VAppDocument.vapp(vapp, org: org, tasks: [task], hrefs: c.hrefs),
                     headers: [HTTPHeader("Location", c.hrefs.vapp(vapp.id))])
    }

    /// `/api/vApp/vapp-{id}` or `/api/vApp/vm-{id}`.
    static func get(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (view, vmID) = try target(c, p)
        if let vmID, let vm = view.vapp.vms.first(where: { $0.id == vmID }) {
            return .ok(MediaType.vm, VAppDocument.vm(vm, vapp: view.vapp, hrefs: c.hrefs))
        }
        return .ok(MediaType.vApp, VAppDocument.vapp(view.vapp, org: view.org, tasks: view.tasks, hrefs: c.hrefs))
    }

    static func power(_ c: Context) throws(APIError) -> Reply {
        guard let action = VAppAction.power(c.param("action")) else {
            throw .notFound("There is no power action \"\(c.param("action"))\"; use powerOn, powerOff, reboot, reset, shutdown or suspend.")
        }
        return try act(action, c)
    }

    static func deploy(_ c: Context) throws(APIError) -> Reply {
        let powerOn: Bool
        do { powerOn = try VAppDocument.deployParams(c.request.body.isEmpty ? nil : try c.xmlBody()) } catch let e as XMLParseError {
            throw APIError(e)
        } catch { throw error as? APIError ?? .badRequest("\(error)") }
        return try act(.deploy(powerOn: powerOn), c)
    }

    static func undeploy(_ c: Context) throws(APIError) -> Reply {
        let how: VAppAction.Undeploy
        do { how = try VAppDocument.undeployParams(c.request.body.isEmpty ? nil : try c.xmlBody()) } catch let e as XMLParseError {
            throw APIError(e)
        } catch { throw error as? APIError ?? .badRequest("\(error)") }
        return try act(.undeploy(how), c)
    }

    static func delete(_ c: Context) throws(APIError) -> Reply { try act(.delete, c) }

    /// 202 with the Task and `Location` (§6.1).
    static func act(_ action: VAppAction, _ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (view, vmID) = try target(c, p)
        let hrefs = c.hrefs
        let subject = vmID.map { id in
            Reference(href: hrefs.vm(id), name: view.vapp.vms.first { $0.id == id }?.name, type: MediaType.vm)
        } ?? Reference(href: hrefs.vapp(view.vapp.id), name: view.vapp.name, type: MediaType.vApp)
        let task = try domain { () throws(DomainError) in
            try c.store.act(action, vappID: view.vapp.id, vmID: vmID, by: p, subject: subject)
        }
        return Reply(status: 202, mediaType: MediaType.task, body: TaskDocument.task(task, hrefs: hrefs),
                     headers: [HTTPHeader("Location", hrefs.task(task.id))])
    }

    static func controlAccess(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (view, _) = try target(c, p)
        return .ok(MediaType.controlAccess, VAppDocument.controlAccess(href: c.hrefs.vapp(view.vapp.id) + "/controlAccess/"))
    }

    static func owner(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (view, _) = try target(c, p)
        return .ok(MediaType.owner, VAppDocument.ownerDocument(view.vapp, org: view.org, hrefs: c.hrefs))
    }

    static func metadata(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let (view, vmID) = try target(c, p)
        let up = vmID.map(c.hrefs.vm) ?? c.hrefs.vapp(view.vapp.id)
        return .ok(MediaType.metadata, VAppDocument.emptyMetadata(href: up + "/metadata", up: up,
                                                                  upType: vmID == nil ? MediaType.vApp : MediaType.vm))
    }

    /// The vApp a `vapp-…` or `vm-…` id names, and the VM id for the latter.
    static func target(_ c: Context, _ p: Principal) throws(APIError) -> (VAppView, String?) {
        let raw = c.param("id")
        if let id = strip(raw, "vapp-") {
            return (try domain { () throws(DomainError) in try c.store.vapp(id, for: p) }, nil)
        }
        if let id = strip(raw, "vm-") {
            return (try domain { () throws(DomainError) in try c.store.vappOfVM(id, for: p) }, id)
        }
        throw APIError(DomainError.noAccess("vapp", raw))
    }

    static func strip(_ s: String, _ prefix: String) -> String? {
        s.hasPrefix(prefix) && s.count > prefix.count ? String(s.dropFirst(prefix.count)) : nil
    }
}
