import Testing
import VCDCore

/// Events a service posts to `/api/admin/org/{id}/events` (§7.1), and the per-org retention bound.
@Suite struct EventsTests {
    let clock = TestClock()
    let store: Store
    let sysadmin: Principal
    let alice: Principal

    init() throws {
        store = TestWorld.store(clock: clock, settings: CloudSettings(eventRetention: 3))
        sysadmin = try store.login(user: "administrator", org: "System", password: "vmware")
        alice = try store.login(user: "alice", org: "acme", password: "alice")
    }

    /// Events other than the logins the test world made.
    func posted(_ orgID: String) -> [Event] {
        store.events(in: orgID).events.filter { $0.type != EventType.sessionLogin }
    }

    func draft(type: String? = "backupComplete", ns: String? = "org.example.vcd.backup",
               success: String? = "true", typeFull: String? = "Backup finished") -> EventDraft {
        EventDraft(type: type, typeFull: typeFull, serviceNamespace: ns, success: success)
    }

    @Test func sysadminPostsAnEvent() throws {
        clock.advance(milliseconds: 250)
        let e = try store.postEvent(in: TestWorld.acmeID, draft(), by: sysadmin)
        #expect(e.id.hasPrefix("00000000-0000-4000-8000-"), "ids come from the injected generator")
        #expect(e.type == "backupComplete")
        #expect(e.typeFull == "Backup finished")
        #expect(e.serviceNamespace == "org.example.vcd.backup")
        #expect(e.success == true)
        #expect(e.timestamp.iso8601 == "2024-05-01T10:00:00.250Z")
        #expect(e.orgID == "26")
        #expect(posted(TestWorld.acmeID) == [e])
    }

    @Test func userDefaultsToThePoster() throws {
        let e = try store.postEvent(in: TestWorld.acmeID, draft(), by: sysadmin)
        #expect(e.user == .user(id: "u-admin", name: "administrator"))
    }

    @Test func postedUserAndOwnerAreKept() throws {
        var d = draft()
        d.user = Reference(href: "https://h/api/admin/user/39", name: "bob")
        d.owner = Reference(href: "https://h/api/org/26", name: "acme")
        let e = try store.postEvent(in: TestWorld.acmeID, d, by: sysadmin)
        #expect(e.user == .external(Reference(href: "https://h/api/admin/user/39", name: "bob")))
        #expect(e.owner == Reference(href: "https://h/api/org/26", name: "acme"))
    }

    @Test func successFalseIsRecordedAsFailure() throws {
        #expect(try store.postEvent(in: TestWorld.acmeID, draft(success: "false"), by: sysadmin).success == false)
    }

    @Test func missingTypeFullIsEmpty() throws {
        #expect(try store.postEvent(in: TestWorld.acmeID, draft(typeFull: nil), by: sysadmin).typeFull == "")
    }

    @Test func onlySysadminMayPostEvents() {
        #expect(throws: DomainError.forbidden("Only a system administrator may post events; log in to org System.")) {
            try store.postEvent(in: TestWorld.acmeID, draft(), by: alice)
        }
        #expect(posted(TestWorld.acmeID).isEmpty)
    }

    @Test func postingToAnUnknownOrgIsNoAccess() {
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.org:99\".")) {
            try store.postEvent(in: "99", draft(), by: sysadmin)
        }
    }

    static let typeRule = "Event type is required, 1-128 characters, and must not start with com/vmware/vcloud."
    static let nsRule = "Event serviceNamespace is required, 1-128 characters, and must not start with com.vmware.vcloud."

    @Test(arguments: [nil, "", String(repeating: "t", count: 129), "com/vmware/vcloud/event/task/create"])
    func invalidTypeIsRejected(_ type: String?) {
        #expect(throws: DomainError.badRequest(Self.typeRule)) {
            try store.postEvent(in: TestWorld.acmeID, draft(type: type), by: sysadmin)
        }
    }

    @Test func typeOf128CharactersIsAccepted() throws {
        let type = String(repeating: "t", count: 128)
        #expect(try store.postEvent(in: TestWorld.acmeID, draft(type: type), by: sysadmin).type == type)
    }

    @Test(arguments: [nil, "", String(repeating: "n", count: 129), "com.vmware.vcloud.events"])
    func invalidServiceNamespaceIsRejected(_ ns: String?) {
        #expect(throws: DomainError.badRequest(Self.nsRule)) {
            try store.postEvent(in: TestWorld.acmeID, draft(ns: ns), by: sysadmin)
        }
    }

    @Test(arguments: [nil, "", "yes", "maybe"])
    func successMustBeTrueOrFalse(_ success: String?) {
        #expect(throws: DomainError.badRequest("Event success is required and must be true or false.")) {
            try store.postEvent(in: TestWorld.acmeID, draft(success: success), by: sysadmin)
        }
    }

    @Test func typeFullOf2000CharactersIsAccepted() throws {
        let text = String(repeating: "x", count: 2000)
        #expect(try store.postEvent(in: TestWorld.acmeID, draft(typeFull: text), by: sysadmin).typeFull == text)
    }

    @Test func typeFullLongerThan2000CharactersIsRejected() {
        #expect(throws: DomainError.badRequest("Event typeFull is longer than 2000 characters.")) {
            try store.postEvent(in: TestWorld.acmeID, draft(typeFull: String(repeating: "x", count: 2001)), by: sysadmin)
        }
    }

    @Test func rejectedEventIsNotRecorded() {
        _ = try? store.postEvent(in: TestWorld.acmeID, draft(success: "maybe"), by: sysadmin)
        #expect(posted(TestWorld.acmeID).isEmpty)
        #expect(store.events(in: TestWorld.acmeID).dropped == 0)
    }

    // MARK: Retention

    @Test func retentionKeepsTheNewestEventsInOrderAndCountsTheDropped() throws {
        for n in 1...5 { _ = try store.postEvent(in: TestWorld.acmeID, draft(type: "e\(n)"), by: sysadmin) }
        let (events, dropped) = store.events(in: TestWorld.acmeID)
        #expect(events.map(\.type) == ["e3", "e4", "e5"])
        #expect(dropped == 3, "alice's login event and e1, e2")
    }

    @Test func retentionIsPerOrg() throws {
        for n in 1...5 { _ = try store.postEvent(in: TestWorld.acmeID, draft(type: "a\(n)"), by: sysadmin) }
        _ = try store.postEvent(in: TestWorld.globexID, draft(type: "g1"), by: sysadmin)
        let globex = store.events(in: TestWorld.globexID)
        #expect(globex.events.map(\.type) == ["g1"])
        #expect(globex.dropped == 0)
    }

    @Test func nothingIsDroppedWithinTheRetention() throws {
        // Retention 3: alice's login plus two posted events.
        for n in 1...2 { _ = try store.postEvent(in: TestWorld.acmeID, draft(type: "e\(n)"), by: sysadmin) }
        let (events, dropped) = store.events(in: TestWorld.acmeID)
        #expect(events.map(\.type) == [EventType.sessionLogin, "e1", "e2"])
        #expect(dropped == 0)
    }

    @Test func retentionBelowOneIsRaisedToOne() {
        #expect(CloudSettings(eventRetention: 0).eventRetention == 1)
    }
}
