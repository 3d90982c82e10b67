import Foundation
import Testing
import VCDCore
import VCDFixtures

/// Catalog items (templates) and vApps in fixtures: defaults, round trip, errors with file:line.
@Suite struct VAppFixturesTests {
    static let now = FixtureLoaderTests.now
    static let system = "orgs:\n  - name: System\n    users:\n      - { name: administrator, password: vmware, role: system administrator }\n"

    func load(_ yaml: String) throws -> Fixtures {
        try FixtureLoader.load(yaml: Self.system + yaml, file: "t.yaml", now: Self.now)
    }

    func problem(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultFixturesHoldTemplatesAndARunningVApp() throws {
        let f = try FixtureLoader.load(directory: FixtureLoaderTests.defaultDirectory, now: Self.now)
        let acme = try #require(f.orgs.first { $0.name == "acme" })
        #expect(acme.catalogItems.map(\.name) == ["centos7", "web-stack"])
        #expect(acme.catalogItems[1].vms.map(\.memoryMB) == [2048, 8192])
        #expect(acme.catalogItems.allSatisfy { $0.catalogID == acme.catalogs[0].id })
        let globex = try #require(f.orgs.first { $0.name == "globex" })
        let billing = try #require(globex.vapps.first)
        #expect(billing.name == "billing" && billing.status == .poweredOn && billing.deployed)
        #expect(billing.ownerID == globex.users.first { $0.name == "bob" }?.id)
        #expect(billing.vdcID == globex.vdcs[0].id)
        // Stable ids: the same names give the same ids on every load.
        let again = try FixtureLoader.load(directory: FixtureLoaderTests.defaultDirectory, now: Self.now.adding(days: 1))
        #expect(again.orgs.first { $0.name == "globex" }?.vapps.first?.id == billing.id)
        #expect(again.orgs.first { $0.name == "acme" }?.catalogItems.map(\.templateID) == acme.catalogItems.map(\.templateID))
    }

    @Test func roundTripKeepsEveryField() throws {
        let yaml = """
              - name: t
                users: [{ name: u, password: p }, { name: v, password: q }]
                catalogs:
                  - name: c
                    items:
                      - { name: tpl, id: "ci1", templateId: "vt1", description: "d \\"q\\"", vms: [{ name: a, id: "vm1", osType: x, cpus: 3, memoryMB: 333 }] }
                vdcs:
                  - name: d
                    vapps:
                      - name: on
                        owner: v
                        status: poweredOn
                        vms: [{ name: a, cpus: 2 }, { name: b, status: poweredOff, deployed: true }]
                      - { name: empty, owner: u, status: resolved, created: 2020-01-01T00:00:00.000Z }
                      - { name: sus, owner: u, status: suspended, vms: [{ name: s }] }
            """
        let loaded = try load(yaml)
        let org = try #require(loaded.orgs.last)
        #expect(org.vapps.map(\.status) == [.mixed, .resolved, .suspended])
        #expect(org.vapps[0].deployed && org.vapps[0].vms[1].deployed)
        #expect(org.catalogItems[0].vms[0] == VirtualMachine(id: "vm1", name: "a", osType: "x", cpus: 3, memoryMB: 333))
        let first = FixtureExporter.yaml(loaded)
        let again = try FixtureLoader.load(yaml: first, file: "export.yaml", now: Timestamp(milliseconds: 0))
        #expect(again.snapshot == loaded.snapshot)
        #expect(FixtureExporter.yaml(again) == first)
    }

    @Test func mistakesNameFileAndLine() {
        let base = "  - name: t\n    users: [{ name: u, password: p }]\n"
        #expect(problem(base + "    catalogs:\n      - name: c\n        items:\n          - { name: x }\n")
            .hasPrefix("t.yaml:10:"))
        #expect(problem(base + "    catalogs:\n      - name: c\n        items:\n          - { name: x, vms: [] }\n")
            .contains("at least one VM"))
        #expect(problem(base + "    vdcs:\n      - name: d\n        vapps:\n          - { name: a, owner: nobody }\n")
            == "t.yaml:10: vApp owner 'nobody' is not a user of org 't'")
        #expect(problem(base + "    vdcs:\n      - name: d\n        vapps:\n          - { name: a, owner: u, status: running }\n")
            .contains("vApp status 'running' is unknown"))
        #expect(problem(base + "    vdcs:\n      - name: d\n        vapps:\n          - { name: a, owner: u, vms: [{ name: m, cpus: 0 }] }\n")
            .contains("cpus 0 is outside"))
        #expect(problem(base + "    vdcs:\n      - name: d\n        vapps:\n          - { name: a, owner: u, vms: [{ name: m, id: \"1\" }, { name: n, id: \"1\" }] }\n")
            .contains("vm id '1' is used twice"))
        #expect(problem(base + "    vdcs:\n      - name: d\n        vapps:\n          - { name: a, owner: u }\n          - { name: a, owner: u }\n")
            .hasPrefix("t.yaml:11: vApp 'a' appears twice"))
        #expect(problem(base + "    networks:\n      - { name: n, vapps: [] }\n").contains("unknown key 'vapps'"))
        #expect(problem(base + "    vdcs:\n      - name: d\n        vapps:\n          - { name: a, owner: u, status: resolved, vms: [{ name: m }] }\n")
            .contains("not resolved"))
    }
}

/// A state caught in the middle of a vApp operation exports and loads back (the task is not resumed).
@Suite struct VAppMidOperationExportTests {
    @Test func aVAppBeingCreatedExportsAsPoweredOff() throws {
        let f = try FixtureLoader.load(directory: FixtureLoaderTests.defaultDirectory, now: FixtureLoaderTests.now)
        let store = Store(orgs: f.orgs, tasks: f.tasks, clock: ControlledClock(fixed: FixtureLoaderTests.now))
        let alice = try store.login(user: "alice", org: "acme", password: "alice")
        let acme = try #require(f.orgs.first { $0.name == "acme" })
        let (vapp, task) = try store.instantiate(vdcID: acme.vdcs[0].id,
                                                 InstantiateRequest(name: "mid", templateID: acme.catalogItems[1].templateID),
                                                 by: alice, subject: { id, name in Reference(href: "http://h/api/vApp/vapp-" + id, name: name) })
        let yaml = FixtureExporter.yaml(store.snapshot())
        let again = try FixtureLoader.load(yaml: yaml, file: "export.yaml", now: FixtureLoaderTests.now)
        let loaded = try #require(again.orgs.first { $0.name == "acme" }?.vapps.first { $0.id == vapp.id })
        #expect(loaded.status == .poweredOff && loaded.vms.count == 2 && loaded.busyTaskID == nil)
        #expect(again.tasks.first { $0.id == task.id }?.status == .queued)
    }
}
