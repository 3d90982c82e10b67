import Testing
import VCDCore

/// vApp operations on the Store, stepped with a clock that only moves when told (reference §6.2).
@Suite struct StoreVAppsTests {
    let clock = TestClock()
    let store: Store
    let alice: Principal
    let bob: Principal

    static func orgs() -> [Org] {
        var acme = Org(id: "26", name: "acme", users: [User(id: "u-alice", name: "alice", password: "alice", role: .orgAdministrator)],
                       vdcs: [InventoryItem(kind: .vdc, id: "vdc1", name: "vdc")],
                       catalogs: [InventoryItem(kind: .catalog, id: "cat1", name: "cat")])
        acme.catalogItems = [CatalogItem(id: "ci1", templateID: "t1", catalogID: "cat1", name: "centos",
                                         vms: [VirtualMachine(id: "tvm1", name: "a"), VirtualMachine(id: "tvm2", name: "b")])]
        let globex = Org(id: "g1", name: "globex", users: [User(id: "u-bob", name: "bob", password: "bob", role: .orgAdministrator)])
        return [Org(id: "sys", name: "System", users: [User(id: "u-admin", name: "administrator", password: "vmware", role: .systemAdministrator)]),
                acme, globex]
    }

    init() throws {
        store = Store(orgs: Self.orgs(), clock: clock, ids: SequentialIDs())
        store.work.defaultDurationMillis = 2000
        alice = try store.login(user: "alice", org: "acme", password: "alice")
        bob = try store.login(user: "bob", org: "globex", password: "bob")
    }

    func ref(_ id: String, _ name: String) -> Reference { Reference(href: "http://h/api/vApp/vapp-" + id, name: name) }

    func advance(_ ms: Int64) {
        clock.advance(milliseconds: ms)
        store.runDueWork()
    }

    func instantiate(powerOn: Bool = true) throws -> (VApp, CloudTask) {
        try store.instantiate(vdcID: "vdc1", InstantiateRequest(name: "web", templateID: "t1", deploy: powerOn, powerOn: powerOn),
                              by: alice, subject: { id, name in Reference(href: "http://h/api/vApp/vapp-" + id, name: name) })
    }

    @Test func instantiationStepsThroughQueuedRunningSuccess() throws {
        let (vapp, task) = try instantiate()
        #expect(task.status == .queued && task.operationName == "vdcInstantiateVapp")
        #expect(vapp.status == .unresolved && vapp.vms.count == 2 && vapp.busyTaskID == task.id)
        store.runDueWork()  // the clock has not moved: nothing happens
        #expect(try store.task(task.id, for: alice).status == .queued)
        advance(500)
        let running = try store.task(task.id, for: alice)
        #expect(running.status == .running && running.progress == 25)
        advance(500)
        #expect(try store.task(task.id, for: alice).progress == 50)
        #expect(try store.vapp(vapp.id, for: alice).tasks.count == 1)
        advance(1000)
        let done = try store.task(task.id, for: alice)
        #expect(done.status == .success && done.progress == 100 && done.endTime == clock.now())
        let view = try store.vapp(vapp.id, for: alice)
        #expect(view.vapp.status == .poweredOn && view.vapp.deployed && view.tasks.isEmpty && view.vapp.busyTaskID == nil)
        #expect(view.vapp.vms.map(\.id) != ["tvm1", "tvm2"])  // new VM ids
        let types = store.events(in: "26").events.filter { !$0.type.hasSuffix("session/login") }.map { $0.type.replacingOccurrences(of: EventType.prefix, with: "") }
        #expect(types == ["task/create", "task/start", "vm/create", "vapp/create", "vapp/deploy", "task/complete"])
    }

    @Test func legalAndRefusedTransitions() throws {
        let (vapp, _) = try instantiate(powerOn: false)
        #expect(throws: DomainError.badRequest("The entity web is busy completing an operation.")) {
            try store.act(.powerOn, vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        }
        advance(2000)
        #expect(try store.vapp(vapp.id, for: alice).vapp.status == .poweredOff)
        #expect(throws: DomainError.badRequest("The requested operation could not be executed since vApp \"web\" is not powered on.")) {
            try store.act(.powerOff, vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        }
        #expect(throws: DomainError.badRequest("The requested operation could not be executed since vApp \"web\" is not running.")) {
            try store.act(.undeploy(.powerOff), vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        }
        let steps: [(VAppAction, VAppStatus, Bool)] = [(.powerOn, .poweredOn, true), (.suspend, .suspended, true), (.powerOn, .poweredOn, true),
                                                       (.reboot, .poweredOn, true), (.powerOff, .poweredOff, true),
                                                       (.powerOn, .poweredOn, true), (.undeploy(.powerOff), .poweredOff, false)]
        for (action, status, deployed) in steps {
            let t = try store.act(action, vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
            #expect(t.operationName == action.operationName)
            advance(2000)
            let v = try store.vapp(vapp.id, for: alice).vapp
            #expect(v.status == status && v.deployed == deployed, "after \(action)")
        }
        // Deleting needs the vApp stopped; deleting a running one is refused.
        _ = try store.act(.powerOn, vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        advance(2000)
        #expect(throws: DomainError.badRequest("The requested operation could not be executed on vApp \"web\". Stop the vApp and try again.")) {
            try store.act(.delete, vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        }
        _ = try store.act(.undeploy(.powerOff), vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        advance(2000)
        let del = try store.act(.delete, vappID: vapp.id, by: alice, subject: ref(vapp.id, "web"))
        #expect(del.operationName == "vdcDeleteVapp")
        #expect(try store.vapp(vapp.id, for: alice).vapp.id == vapp.id)  // still there until the task ends
        advance(2000)
        #expect(throws: DomainError.noAccess("vapp", vapp.id)) { try store.vapp(vapp.id, for: alice) }
    }

    @Test func oneVMMovesAloneAndTheVAppIsMixed() throws {
        let (vapp, _) = try instantiate()
        advance(2000)
        _ = try store.act(.powerOff, vappID: vapp.id, vmID: vapp.vms[0].id, by: alice, subject: ref(vapp.id, "a"))
        advance(2000)
        let v = try store.vapp(vapp.id, for: alice).vapp
        #expect(v.vms.map(\.status) == [.poweredOff, .poweredOn] && v.status == .mixed)
    }

    @Test func errorOutcomeLeavesStateAndFailsTheTask() throws {
        store.work.set("vdcInstantiateVapp", OperationBehaviour(durationMillis: 100, error: TaskError(message: "no capacity")))
        let (vapp, task) = try instantiate()
        advance(100)
        let failed = try store.task(task.id, for: alice)
        #expect(failed.status == .error && failed.error?.message == "no capacity")
        #expect(try store.vapp(vapp.id, for: alice).vapp.status == .failedCreation)
        #expect(store.events(in: "26").events.last?.type == EventType.taskFail)
    }

    @Test func cancelStopsTheOperationAndResetForgetsIt() throws {
        let (vapp, task) = try instantiate()
        advance(500)
        _ = try store.cancelTask(task.id, by: alice)
        advance(2000)
        #expect(try store.task(task.id, for: alice).status == .canceled)
        let v = try store.vapp(vapp.id, for: alice).vapp
        #expect(v.status == .failedCreation && v.busyTaskID == nil)
        // A reset in the middle of an operation: the vApp and task are gone and nothing finishes later.
        let (second, t2) = try store.instantiate(vdcID: "vdc1", InstantiateRequest(name: "w2", templateID: "t1"), by: alice,
                                                 subject: { id, name in Reference(href: "http://h/api/vApp/vapp-" + id, name: name) })
        store.reset()
        let admin = try store.login(user: "alice", org: "acme", password: "alice")
        advance(5000)
        #expect(throws: DomainError.noAccess("vapp", second.id)) { try store.vapp(second.id, for: admin) }
        #expect(throws: DomainError.noAccess("task", t2.id)) { try store.task(t2.id, for: admin) }
    }

    @Test func otherTenantsSeeNothing() throws {
        let (vapp, _) = try instantiate()
        #expect(throws: DomainError.noAccess("vapp", vapp.id)) { try store.vapp(vapp.id, for: bob) }
        #expect(throws: DomainError.noAccess("vdc", "vdc1")) {
            try store.instantiate(vdcID: "vdc1", InstantiateRequest(name: "x", templateID: "t1"), by: bob,
                                  subject: { id, name in Reference(href: id, name: name) })
        }
    }

    /// A thousand operations in flight are one heap entry each, advanced by the one scheduler.
    @Test func aThousandTasksAdvanceTogether() throws {
        var tasks: [CloudTask] = []
        for i in 0..<1000 {
            tasks.append(try store.instantiate(vdcID: "vdc1", InstantiateRequest(name: "v\(i)", templateID: "t1", powerOn: true),
                                               by: alice, subject: { id, name in Reference(href: id, name: name) }).1)
        }
        #expect(store.work.scheduler.count == 1000)
        advance(1000)
        #expect(store.work.scheduler.count == 1000)  // each rescheduled once for its next quarter
        advance(1000)
        #expect(store.work.scheduler.count == 0)
        #expect(try tasks.allSatisfy { try store.task($0.id, for: alice).status == .success })
        // What a vApp with two VMs costs beyond its strings (inline sizes; strings under 16 bytes are inline too).
        #expect(MemoryLayout<VApp>.stride + 2 * MemoryLayout<VirtualMachine>.stride + 32 <= 400)
    }
}
