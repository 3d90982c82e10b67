import VCDCore
import VCDHTTP
import VCDXML

extension VAppEndpoints {
    /// `POST /api/vdc/{id}/action/composeVApp` (§4.6): 201 with the new vApp, its running task inside, and
    /// `Location`, as instantiate answers. VMs come only from template VMs named in `SourcedItem`s.
    static func compose(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let params = try c.decodeBody(VAppDocument.composeParams)
        var vmIDs: [String] = []
        for source in params.sources {
            let last = source.split(separator: "/").last.map(String.init) ?? ""
            guard source.contains("/vAppTemplate/"), let id = strip(last, "vm-") else {
                throw .badRequest("validation error : EntityRef has incorrect type, expected type is com.vmware.vcloud.entity.vm. "
                                  + "vcd-mock composes from template VMs only (\(source) is not /api/vAppTemplate/vm-{id}).")
            }
            vmIDs.append(id)
        }
        let hrefs = c.hrefs
        let request = ComposeRequest(name: params.name, description: params.description, templateVMIDs: vmIDs,
                                     deploy: params.deploy, powerOn: params.powerOn)
        let (vapp, task) = try domain { () throws(DomainError) in
            try c.store.compose(vdcID: c.param("id"), request, by: p) { id, name in
                Reference(href: hrefs.vapp(id), name: name, type: MediaType.vApp)
            }
        }
        return try created(vapp, task, c, p)
    }
}
