import VCDCore

/// Catalog items (vApp templates) under `catalogs:` and vApps under `vdcs:` (Fixtures/README.md).
extension FixtureBuilder {
    /// Keys a vdc, catalog or network may have: its own, metadata (not networks) and its contents.
    static func itemKeys(_ kind: InventoryItem.Kind) -> [String] {
        switch kind {
        case .vdc: ["name", "id", "description", "metadata", "vapps"]
        case .catalog: ["name", "id", "description", "metadata", "items"]
        case .network: ["name", "id", "description"]
        }
    }

    static func contentKeys(_ kind: InventoryItem.Kind) -> Set<String> {
        switch kind {
        case .catalog: ["items"]
        case .vdc: ["vapps"]
        case .network: []
        }
    }

    mutating func addContents(_ r: YAMLReader, of item: InventoryItem, to org: inout Org) throws(FixtureError) {
        guard r.isMapping else { return }
        let f = try r.mapping(allowed: Self.itemKeys(item.kind), context: "a \(item.kind.rawValue)")
        for entry in try f["items"]?.sequence("items") ?? [] {
            org.catalogItems.append(try catalogItem(entry, catalog: item, org: org))
        }
        for entry in try f["vapps"]?.sequence("vapps") ?? [] {
            org.vapps.append(try vapp(entry, vdc: item, org: org))
        }
    }

    mutating func catalogItem(_ r: YAMLReader, catalog: InventoryItem, org: Org) throws(FixtureError) -> CatalogItem {
        let f = try r.mapping(allowed: ["name", "id", "templateId", "description", "vms"], context: "a catalog item")
        guard let nameNode = f["name"] else { throw r.fail("a catalog item needs a name") }
        let name = try nameNode.string("name")
        if org.catalogItems.contains(where: { $0.catalogID == catalog.id && $0.name == name }) {
            throw nameNode.fail("catalog item '\(name)' appears twice in catalog '\(catalog.name)'")
        }
        let id = try claim(f["id"].string("id", default: StableID.uuid("catalogItem", org.name, catalog.name, name)),
                           kind: "catalogItem", at: f["id"] ?? nameNode)
        let templateID = try claim(f["templateId"].string("templateId", default: StableID.uuid("vAppTemplate", org.name, catalog.name, name)),
                                   kind: "vAppTemplate", at: f["templateId"] ?? nameNode)
        guard let vmsNode = f["vms"] else { throw r.fail("template '\(name)' needs vms (at least one; pyvcloud refuses an empty template)") }
        var vms: [VirtualMachine] = []
        for v in try vmsNode.sequence("vms") {
            vms.append(try vm(v, scope: [org.name, catalog.name, name], taken: vms, running: false))
        }
        guard !vms.isEmpty else { throw vmsNode.fail("template '\(name)' needs at least one VM") }
        return CatalogItem(id: id, templateID: templateID, catalogID: catalog.id, name: name,
                           description: try f["description"].string("description", default: ""), vms: vms)
    }

    mutating func vapp(_ r: YAMLReader, vdc: InventoryItem, org: Org) throws(FixtureError) -> VApp {
        let f = try r.mapping(allowed: ["name", "id", "description", "owner", "status", "created", "vms"], context: "a vApp")
        guard let nameNode = f["name"] else { throw r.fail("a vApp needs a name") }
        let name = try nameNode.string("name")
        if org.vapps.contains(where: { $0.vdcID == vdc.id && $0.name == name }) {
            throw nameNode.fail("vApp '\(name)' appears twice in vdc '\(vdc.name)'")
        }
        let id = try claim(f["id"].string("id", default: StableID.uuid("vApp", org.name, vdc.name, name)), kind: "vApp", at: f["id"] ?? nameNode)
        guard let ownerNode = f["owner"] else { throw r.fail("vApp '\(name)' needs an owner (a user name of org '\(org.name)')") }
        let ownerName = try ownerNode.string("owner")
        guard let owner = org.users.first(where: { $0.name == ownerName }) else {
            throw ownerNode.fail("vApp owner '\(ownerName)' is not a user of org '\(org.name)'")
        }
        let statusText = try f["status"].string("status", default: "poweredOff")
        guard let status = VAppStatus(fixtureName: statusText), status != .mixed, status != .unresolved else {
            throw (f["status"] ?? r).fail("vApp status '\(statusText)' is unknown; use poweredOn, poweredOff, suspended, resolved or failedCreation")
        }
        var created = now
        if let c = f["created"] { created = try timestamp(c, "created") }
        var vms: [VirtualMachine] = []
        for v in try f["vms"]?.sequence("vms") ?? [] {
            vms.append(try vm(v, scope: [org.name, vdc.name, name], taken: vms, running: status == .poweredOn || status == .suspended,
                              status: status))
        }
        if !vms.isEmpty && (status == .resolved || status == .failedCreation) {
            throw (f["status"] ?? r).fail("a vApp with VMs is poweredOn, poweredOff or suspended, not \(statusText)")
        }
        return VApp(id: id, vdcID: vdc.id, name: name, description: try f["description"].string("description", default: ""),
                    ownerID: owner.id, created: created, ownStatus: vms.isEmpty ? status : .resolved, vms: vms)
    }

    /// A VM; in a vApp it takes the vApp's status unless it names its own.
    mutating func vm(_ r: YAMLReader, scope: [String], taken: [VirtualMachine], running: Bool,
                     status: VAppStatus = .poweredOff) throws(FixtureError) -> VirtualMachine {
        let f = try r.mapping(allowed: ["name", "id", "osType", "cpus", "memoryMB", "status", "deployed"], context: "a VM")
        guard let nameNode = f["name"] else { throw r.fail("a VM needs a name") }
        let name = try nameNode.string("name")
        if taken.contains(where: { $0.name == name }) { throw nameNode.fail("VM '\(name)' appears twice in '\(scope.last ?? "")'") }
        let id = try claim(f["id"].string("id", default: StableID.uuid((["vm"] + scope + [name]).joined(separator: "/"))), kind: "vm", at: f["id"] ?? nameNode)
        var vm = VirtualMachine(id: id, name: name, osType: try f["osType"].string("osType", default: "otherGuest"),
                                status: status, deployed: running)
        if let c = f["cpus"] {
            let n = try c.int("cpus")
            guard (1...128).contains(n) else { throw c.fail("cpus \(n) is outside 1...128") }
            vm.cpus = Int32(n)
        }
        if let m = f["memoryMB"] {
            let n = try m.int("memoryMB")
            guard (4...4_194_304).contains(n) else { throw m.fail("memoryMB \(n) is outside 4...4194304") }
            vm.memoryMB = Int32(n)
        }
        if let s = f["status"] {
            let text = try s.string("status")
            guard let st = VAppStatus(fixtureName: text), [.poweredOn, .poweredOff, .suspended].contains(st) else {
                throw s.fail("VM status '\(text)' is unknown; use poweredOn, poweredOff or suspended")
            }
            vm.status = st
            vm.deployed = st != .poweredOff
        }
        if let d = f["deployed"] { vm.deployed = try d.bool("deployed") }
        return vm
    }
}
