import Testing
import VCDCore

/// What a typed query reads (Store+Query.swift): the rows of one source, in scope, in creation order,
/// as one consistent copy that later changes do not touch.
@Suite struct StoreQueryTests {
    let store = TestWorld.store()
    let sysadmin: Principal

    init() throws {
        sysadmin = try store.login(user: "administrator", org: "System", password: "vmware")
    }

    func task(_ name: String, in org: String) throws -> CloudTask {
        try store.createTask(in: org, TaskDraft(name: name, status: "running", serviceNamespace: "org.example.q"), by: sysadmin)
    }

    @Test func tasksOfOneOrgInCreationOrder() throws {
        let a1 = try task("a1", in: TestWorld.acmeID)
        _ = try task("g1", in: TestWorld.globexID)
        let a2 = try task("a2", in: TestWorld.acmeID)
        let s = store.querySnapshot(.tasks, scope: .org(TestWorld.acmeID))
        #expect(s.tasks.map(\.id) == [a1.id, a2.id])
        #expect(s.orgs.map(\.name) == ["acme"])
        #expect(s.orgNames == [TestWorld.acmeID: "acme"])
        #expect(s.events.isEmpty && s.services.isEmpty, "only the asked source is copied")
    }

    @Test func allScopeReadsEveryOrgInFixtureOrder() throws {
        _ = try task("g1", in: TestWorld.globexID)
        _ = try task("a1", in: TestWorld.acmeID)
        let s = store.querySnapshot(.tasks, scope: .all)
        #expect(s.orgs.map(\.name) == ["System", "acme", "globex", "initech"])
        #expect(s.tasks.map(\.name) == ["a1", "g1"], "org by org in fixture order, then creation order")
    }

    @Test func eventsOfTheScopeOnly() throws {
        _ = try store.login(user: "alice", org: "acme", password: "alice")
        let t = try task("a1", in: TestWorld.acmeID)
        let acme = store.querySnapshot(.events, scope: .org(TestWorld.acmeID)).events
        #expect(acme.map(\.type) == [EventType.sessionLogin, EventType.taskCreate])
        #expect(acme.last?.entity == .task(id: t.id, name: "a1"))
        let all = store.querySnapshot(.events, scope: .all).events
        #expect(all.map(\.orgID) == [TestWorld.systemID, TestWorld.acmeID, TestWorld.acmeID])
    }

    @Test func anUnknownOrgScopeIsEmpty() {
        let s = store.querySnapshot(.orgs, scope: .org("no-such-org"))
        #expect(s.orgs.isEmpty && s.tasks.isEmpty)
    }

    @Test func aSnapshotDoesNotChangeAfterwards() throws {
        _ = try task("a1", in: TestWorld.acmeID)
        let before = store.querySnapshot(.tasks, scope: .org(TestWorld.acmeID))
        _ = try task("a2", in: TestWorld.acmeID)
        #expect(before.tasks.map(\.name) == ["a1"])
        #expect(store.querySnapshot(.tasks, scope: .org(TestWorld.acmeID)).tasks.map(\.name) == ["a1", "a2"])
    }

    @Test func servicesInRegistrationOrder() throws {
        let store = Store(orgs: TestWorld.orgs(), services: [
            ExtensionService(id: "s2", name: "two", namespace: "n2", routingKey: "k", exchange: "x"),
            ExtensionService(id: "s1", name: "one", namespace: "n1", routingKey: "k", exchange: "x"),
        ])
        #expect(store.querySnapshot(.services, scope: .all).services.map(\.id) == ["s2", "s1"])
    }
}
