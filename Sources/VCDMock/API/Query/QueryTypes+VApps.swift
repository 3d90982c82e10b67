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

}
