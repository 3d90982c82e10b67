import VCDCore

/// Catalog items under their catalog, vApps under their vdc, every field written out.
extension FixtureExporter.Writer {
    mutating func contents(of item: InventoryItem, in org: Org) {
        switch item.kind {
        case .catalog:
            let items = org.catalogItems.filter { $0.catalogID == item.id }
            guard !items.isEmpty else { return }
            line(8, "items:")
            for c in items {
                str(12, "name", c.name, item: true)
                str(12, "id", c.id)
                str(12, "templateId", c.templateID)
                str(12, "description", c.description)
                vms(12, c.vms, withState: false)
            }
        case .vdc:
            let vapps = org.vapps.filter { $0.vdcID == item.id }
            guard !vapps.isEmpty else { return }
            line(8, "vapps:")
            for v in vapps {
                str(12, "name", v.name, item: true)
                str(12, "id", v.id)
                str(12, "description", v.description)
                str(12, "owner", org.users.first(where: { $0.id == v.ownerID })?.name ?? v.ownerID)
                // A vApp caught mid-operation is exported as it was before (the task is not resumed on load).
                raw(12, "status", (v.vms.isEmpty ? v.ownStatus : .poweredOff).fixtureName)
                raw(12, "created", v.created.iso8601)
                vms(12, v.vms, withState: true)
            }
        case .network:
            return
        }
    }

    mutating func vms(_ indent: Int, _ vms: [VirtualMachine], withState: Bool) {
        guard !vms.isEmpty else { return }
        line(indent, "vms:")
        for vm in vms {
            str(indent + 4, "name", vm.name, item: true)
            str(indent + 4, "id", vm.id)
            str(indent + 4, "osType", vm.osType)
            raw(indent + 4, "cpus", String(vm.cpus))
            raw(indent + 4, "memoryMB", String(vm.memoryMB))
            if withState {
                raw(indent + 4, "status", vm.status.fixtureName)
                raw(indent + 4, "deployed", String(vm.deployed))
            }
        }
    }
}
