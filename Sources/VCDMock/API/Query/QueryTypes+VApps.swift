import VCDCore
import VCDXML

/// vApps as query records (vapps reference §7; attributes from the 5.5 QueryResultVAppRecordType). The
/// status is the query service's string form (`POWERED_ON`), not the int of the VApp document.
enum VAppQueryTypes {
    /// A vApp with the names its record shows, read from its org while the row is made.
    struct Row: Sendable {
        let vapp: VApp
        let vdcName: String
        let ownerName: String
    }

    static func vapps(_ s: QuerySnapshot) -> [InOrg<Row>] {
        s.orgs.flatMap { org in
            org.vapps.map { v in
                InOrg(value: Row(vapp: v, vdcName: org.vdcs.first { $0.id == v.vdcID }?.name ?? "",
                                 ownerName: org.users.first { $0.id == v.ownerID }?.name ?? ""),
                      orgID: org.id, orgName: org.name)
            }
        }
    }

    static func vapp(admin: Bool) -> RecordType<InOrg<Row>> {
        var attributes: [QueryAttribute<InOrg<Row>>] = [
            .string("name") { $0.value.vapp.name },
            .string("description") { $0.value.vapp.description.isEmpty ? nil : $0.value.vapp.description },
            .link("vdc") { .vdc($0.value.vapp.vdcID) },
            .string("vdcName") { $0.value.vdcName },
            .link("owner") { .user($0.value.vapp.ownerID) },
            .string("ownerName") { $0.value.ownerName },
            .string("status") { $0.value.vapp.status.queryName },
            .bool("isDeployed") { $0.value.vapp.deployed },
            .bool("isBusy") { $0.value.vapp.busyTaskID != nil },
            .bool("isEnabled") { _ in true },
            .date("creationDate") { $0.value.vapp.created },
            .int("numberOfVMs") { $0.value.vapp.vms.count },
            .int("numberOfCpus") { Int($0.value.vapp.vms.reduce(0) { $0 + $1.cpus }) },
            .int("memoryAllocationMB") { Int($0.value.vapp.vms.reduce(0) { $0 + $1.memoryMB }) },
        ]
        if admin {
            attributes.append(.link("org") { .org($0.orgID) })
            attributes.append(.string("orgName") { $0.orgName })
        }
        return RecordType(name: admin ? "adminVApp" : "vApp", record: admin ? "AdminVAppRecord" : "VAppRecord",
                          reference: admin ? "AdminVApp" : "VApp", entityType: MediaType.vApp,
                          access: admin ? .sysadmin : .everyone, source: .orgs, rows: vapps,
                          link: { .vapp($0.value.vapp.id) }, label: { $0.value.vapp.name }, attributes: attributes)
    }

    /// A VM of a vApp or of a template (`isVAppTemplate`), with what its record shows of its container.
    struct VMRow: Sendable {
        let vm: VirtualMachine
        let container: EntityLink
        let containerName: String
        let vdcID: String?
        let isTemplate: Bool
        let busy: Bool
        /// Template VMs: their catalog's name.
        let catalogName: String?
        /// vApp VMs: the vApp's owner.
        let ownerID: String?
        let ownerName: String?
    }

    /// vApp VMs first, then template VMs, each in org order (the `vm` query returns both kinds, §7.2).
    static func vms(_ s: QuerySnapshot) -> [InOrg<VMRow>] {
        s.orgs.flatMap { org in
            let inVApps = org.vapps.flatMap { v in
                let owner = org.users.first { $0.id == v.ownerID }?.name
                return v.vms.map { vm in
                    InOrg(value: VMRow(vm: vm, container: .vapp(v.id), containerName: v.name, vdcID: v.vdcID, isTemplate: false,
                                       busy: v.busyTaskID != nil, catalogName: nil, ownerID: v.ownerID, ownerName: owner),
                          orgID: org.id, orgName: org.name)
                }
            }
            let inTemplates = org.catalogItems.flatMap { item in
                let catalog = org.catalogs.first { $0.id == item.catalogID }?.name
                return item.vms.map { vm in
                    InOrg(value: VMRow(vm: vm, container: .template(item.templateID), containerName: item.name,
                                       vdcID: org.vdcs.first?.id, isTemplate: true, busy: false, catalogName: catalog,
                                       ownerID: nil, ownerName: nil),
                          orgID: org.id, orgName: org.name)
                }
            }
            return inVApps + inTemplates
        }
    }

    /// `vm` / `adminVM` (5.5 QueryResultVMRecordType). Template VMs show POWERED_OFF, as their documents say 8.
    static func vm(admin: Bool) -> RecordType<InOrg<VMRow>> {
        var attributes: [QueryAttribute<InOrg<VMRow>>] = [
            .string("name") { $0.value.vm.name },
            .string("containerName") { $0.value.containerName },
            .link("container") { $0.value.container },
            .link("vdc") { r in r.value.vdcID.map { .vdc($0) } },
            .bool("isVAppTemplate") { $0.value.isTemplate },
            .bool("isDeleted") { _ in false },
            .string("guestOs") { $0.value.vm.osType },
            .int("numberOfCpus") { Int($0.value.vm.cpus) },
            .int("memoryMB") { Int($0.value.vm.memoryMB) },
            .string("status") { $0.value.isTemplate ? VAppStatus.poweredOff.queryName : $0.value.vm.status.queryName },
            .bool("isBusy") { $0.value.busy },
            .bool("isDeployed") { $0.value.vm.deployed },
            .bool("isPublished") { _ in false },
            .string("catalogName") { $0.value.catalogName },
            .bool("isInMaintenanceMode") { _ in false },
            .link("owner") { r in r.value.ownerID.map { .user($0) } },
            .string("ownerName") { $0.value.ownerName },
        ]
        if admin {
            attributes.append(.link("org") { .org($0.orgID) })
            attributes.append(.bool("isVdcEnabled") { _ in true })
        }
        return RecordType(name: admin ? "adminVM" : "vm", record: admin ? "AdminVMRecord" : "VMRecord",
                          reference: admin ? "AdminVM" : "VM", entityType: MediaType.vm,
                          access: admin ? .sysadmin : .everyone, source: .orgs, rows: vms,
                          link: { $0.value.isTemplate ? .templateVM($0.value.vm.id) : .vm($0.value.vm.id) },
                          label: { $0.value.vm.name }, attributes: attributes)
    }
}
