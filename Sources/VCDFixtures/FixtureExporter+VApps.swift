import VCDCore
import Yams

/// Catalog items under their catalog, vApps under their vdc, every field written out.
extension FixtureExporter {
    static func contents(of item: InventoryItem, in org: Org, into f: inout Fields) {
        switch item.kind {
        case .catalog:
            f.list("items", org.catalogItems.filter { $0.catalogID == item.id }.map { c in
                var cf = Fields()
                cf.str("name", c.name)
                cf.str("id", c.id)
                cf.str("templateId", c.templateID)
                cf.str("description", c.description)
                cf.list("vms", c.vms.map { vm($0, withState: false) })
                return cf.mapping
            })
        case .vdc:
            f.list("vapps", org.vapps.filter { $0.vdcID == item.id }.map { v in
                var vf = Fields()
                vf.str("name", v.name)
                vf.str("id", v.id)
                vf.str("description", v.description)
                vf.str("owner", org.users.first(where: { $0.id == v.ownerID })?.name ?? v.ownerID)
                // A vApp caught mid-operation is exported as it is (the task is not resumed on load).
                vf.raw("status", (v.vms.isEmpty ? v.ownStatus : .poweredOff).fixtureName)
                vf.raw("created", v.created.iso8601)
                vf.list("vms", v.vms.map { vm($0, withState: true) })
                return vf.mapping
            })
        case .network:
            return
        }
    }

    static func vm(_ vm: VirtualMachine, withState: Bool) -> Node {
        var f = Fields()
        f.str("name", vm.name)
        f.str("id", vm.id)
        f.str("osType", vm.osType)
        f.raw("cpus", String(vm.cpus))
        f.raw("memoryMB", String(vm.memoryMB))
        if withState {
            f.raw("status", (vm.status == .unresolved ? .poweredOff : vm.status).fixtureName)  // mid-creation: as if created
            f.raw("deployed", String(vm.deployed))
        }
        return f.mapping
    }
}
