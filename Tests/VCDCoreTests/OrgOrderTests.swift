import Testing
import VCDCore

/// The org order (OrgTable.swift): lists show orgs in fixture order, created orgs at the end, a deleted org
/// leaves no gap, and a reset org keeps its place, or comes back at the end if it was gone.
@Suite struct OrgOrderTests {
    let store = TestWorld.store()
    let sysadmin: Principal

    init() throws {
        sysadmin = try store.login(user: "administrator", org: "System", password: "vmware")
    }

    var names: [String] { store.allOrgs.map(\.name) }
    var listed: [String] {
        var out: [String] = []
        store.forEachVisibleOrg(for: sysadmin) { _, name in out.append(name) }
        return out
    }

    @Test func fixtureOrderThenCreatedOrgsAtTheEnd() throws {
        #expect(names == ["System", "acme", "globex", "initech"])
        _ = try store.createOrg(OrgDraft(name: "zeta"), by: sysadmin)
        _ = try store.createOrg(OrgDraft(name: "alpha"), by: sysadmin)
        #expect(names == ["System", "acme", "globex", "initech", "zeta", "alpha"])
        #expect(listed == names)
        #expect(store.visibleOrgs(for: sysadmin).map(\.name) == names)
        #expect(store.orgCount == 6)
    }

    @Test func aDeletedOrgLeavesNoGapAndTheOthersStayFound() throws {
        try store.deleteOrg(TestWorld.globexID, force: true, recursive: true, by: sysadmin)
        #expect(names == ["System", "acme", "initech"])
        #expect(listed == names)
        #expect(try store.org("off", for: sysadmin).name == "initech", "the orgs after it are still found by id")
        #expect(throws: DomainError.self) { try store.org(TestWorld.globexID, for: sysadmin) }
        let created = try store.createOrg(OrgDraft(name: "later"), by: sysadmin)
        #expect(try store.org(created.id, for: sysadmin).name == "later")
        #expect(names == ["System", "acme", "initech", "later"])
    }

    @Test func aChangedOrgKeepsItsPlaceAndAResetPutsItBackThere() throws {
        _ = try store.updateOrg(TestWorld.acmeID, OrgDraft(fullName: "Acme Changed"), by: sysadmin)
        #expect(try store.org(TestWorld.acmeID, for: sysadmin).fullName == "Acme Changed")
        #expect(names == ["System", "acme", "globex", "initech"])
        try store.resetOrg(named: "acme")
        #expect(try store.org(TestWorld.acmeID, for: sysadmin).fullName == "acme")
        #expect(names == ["System", "acme", "globex", "initech"])
        #expect(listed == names)
    }

    @Test func aDeletedOrgComesBackAtTheEndOnItsReset() throws {
        try store.deleteOrg(TestWorld.acmeID, force: true, recursive: true, by: sysadmin)
        try store.resetOrg(named: "acme")
        #expect(names == ["System", "globex", "initech", "acme"])
        #expect(try store.org("off", for: sysadmin).name == "initech")
        #expect(try store.org(TestWorld.acmeID, for: sysadmin).name == "acme")
    }

    @Test func anOrgOfTheSameNameGoesWhenTheFixtureOrgIsReset() throws {
        try store.deleteOrg(TestWorld.acmeID, force: true, recursive: true, by: sysadmin)
        let impostor = try store.createOrg(OrgDraft(name: "ACME"), by: sysadmin)
        _ = try store.createOrg(OrgDraft(name: "after"), by: sysadmin)
        try store.resetOrg(named: "acme")
        #expect(names == ["System", "globex", "initech", "after", "acme"])
        #expect(throws: DomainError.self) { try store.org(impostor.id, for: sysadmin) }
        #expect(try store.org("off", for: sysadmin).name == "initech")
    }

    @Test func changesInPlaceAreSeenByLists() throws {
        _ = try store.updateOrg(TestWorld.globexID, OrgDraft(description: "changed"), by: sysadmin)
        #expect(store.allOrgs.map(\.description) == ["", "", "changed", ""])
        #expect(store.visibleOrgs(for: sysadmin).map(\.description) == ["", "", "changed", ""])
    }

    @Test func anOrgAddedTwiceKeepsItsFirstPlaceAndItsLastValue() throws {
        let twice = Store(orgs: TestWorld.orgs() + [Org(id: TestWorld.acmeID, name: "acme", fullName: "second")], ids: SequentialIDs())
        #expect(twice.allOrgs.map(\.id) == ["sys", "26", "g1", "off"])
        #expect(twice.allOrgs[1].fullName == "second")
        try store.add(StateSnapshot(orgs: [Org(id: "x1", name: "x1"), Org(id: "x1", name: "x1", fullName: "again")]))
        #expect(names == ["System", "acme", "globex", "initech", "x1"])
        #expect(try store.org("x1", for: sysadmin).fullName == "again")
    }
}
