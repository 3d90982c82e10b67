import Testing
import VCDCore

/// `user@org:password` login, idle expiry and logout (§2.2).
@Suite struct StoreSessionsTests {
    let clock = TestClock()
    let store: Store

    init() {
        store = TestWorld.store(clock: clock, settings: CloudSettings(sessionIdleTimeoutMinutes: 30))
    }

    // MARK: Login

    @Test func sysadminLogsInToSystem() throws {
        let p = try store.login(user: "administrator", org: "System", password: "vmware")
        #expect(p.user.id == "u-admin")
        #expect(p.orgID == "sys")
        #expect(p.orgName == "System")
        #expect(p.isSysadmin)
        #expect(p.session.token == "token-1")
        #expect(p.session.created == TestWorld.start)
        #expect(p.session.lastUsed == TestWorld.start)
    }

    @Test func tenantLogsInToItsOrgAndIsNotSysadmin() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        #expect(p.orgID == "26")
        #expect(p.user.role == .orgAdministrator)
        #expect(!p.isSysadmin)
    }

    @Test func tokenFromLoginResolvesToTheSameCaller() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        let again = try store.principal(token: p.session.token)
        #expect(again.user == p.user)
        #expect(again.orgID == "26")
    }

    @Test func eachLoginGetsItsOwnToken() throws {
        let a = try store.login(user: "alice", org: "acme", password: "alice")
        let b = try store.login(user: "alice", org: "acme", password: "alice")
        #expect(a.session.token != b.session.token)
        #expect(store.counts()["sessions"] == 2)
    }

    @Test func wrongPasswordIsUnauthorized() {
        #expect(throws: DomainError.unauthorized("Invalid credentials for user \"administrator@System\".")) {
            try store.login(user: "administrator", org: "System", password: "VMware")
        }
    }

    @Test func unknownUserIsUnauthorizedLikeAWrongPassword() {
        #expect(throws: DomainError.unauthorized("Invalid credentials for user \"mallory@acme\".")) {
            try store.login(user: "mallory", org: "acme", password: "alice")
        }
    }

    @Test func userOfAnotherOrgIsUnknownHere() {
        #expect(throws: DomainError.unauthorized("Invalid credentials for user \"bob@acme\".")) {
            try store.login(user: "bob", org: "acme", password: "bob")
        }
    }

    @Test func unknownOrgIsUnauthorizedLikeAWrongPassword() {
        #expect(throws: DomainError.unauthorized("Invalid credentials for user \"alice@nowhere\".")) {
            try store.login(user: "alice", org: "nowhere", password: "alice")
        }
    }

    @Test(arguments: ["system", "SYSTEM", "sYsTeM"])
    func orgNameIsCaseInsensitive(_ org: String) throws {
        let p = try store.login(user: "administrator", org: org, password: "vmware")
        #expect(p.orgName == "System")
        #expect(p.isSysadmin)
    }

    @Test func failedLoginCreatesNoSession() {
        _ = try? store.login(user: "administrator", org: "System", password: "wrong")
        #expect(store.counts()["sessions"] == 0)
    }

    @Test func disabledOrgRefusesLogin() {
        #expect(throws: DomainError.unauthorized("Organization \"initech\" is disabled.")) {
            try store.login(user: "ivan", org: "initech", password: "ivan")
        }
    }

    // MARK: Idle expiry

    @Test func sessionIsValidUpToTheIdleTimeout() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        clock.advance(milliseconds: 30 * 60_000)
        #expect(try store.principal(token: p.session.token).user.name == "alice")
    }

    @Test func sessionExpiresOneMillisecondAfterTheIdleTimeout() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        clock.advance(milliseconds: 30 * 60_000 + 1)
        #expect(throws: DomainError.unauthorized("The session expired after 30 minutes without use; log in again.")) {
            try store.principal(token: p.session.token)
        }
    }

    @Test func expiredSessionIsRemoved() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        clock.advance(milliseconds: 31 * 60_000)
        _ = try? store.principal(token: p.session.token)
        #expect(store.counts()["sessions"] == 0)
        #expect(throws: DomainError.unauthorized("The session token is missing, unknown or has been logged out; log in with POST /api/sessions.")) {
            try store.principal(token: p.session.token)
        }
    }

    @Test func useRestartsTheIdleTimer() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        clock.advance(milliseconds: 20 * 60_000)
        let used = try store.principal(token: p.session.token)
        #expect(used.session.lastUsed.iso8601 == "2024-05-01T10:20:00.000Z")
        clock.advance(milliseconds: 20 * 60_000)
        #expect(try store.principal(token: p.session.token).user.name == "alice")
    }

    @Test func idleTimeoutFollowsTheSettings() throws {
        let short = TestWorld.store(clock: clock, settings: CloudSettings(sessionIdleTimeoutMinutes: 1))
        let p = try short.login(user: "alice", org: "acme", password: "alice")
        clock.advance(milliseconds: 60_001)
        #expect(throws: DomainError.unauthorized("The session expired after 1 minutes without use; log in again.")) {
            try short.principal(token: p.session.token)
        }
    }

    // MARK: Logout

    @Test func logoutEndsTheSession() throws {
        let p = try store.login(user: "alice", org: "acme", password: "alice")
        store.logout(token: p.session.token)
        #expect(throws: DomainError.unauthorized("The session token is missing, unknown or has been logged out; log in with POST /api/sessions.")) {
            try store.principal(token: p.session.token)
        }
    }

    @Test func logoutLeavesOtherSessionsAlive() throws {
        let a = try store.login(user: "alice", org: "acme", password: "alice")
        let b = try store.login(user: "bob", org: "globex", password: "bob")
        store.logout(token: a.session.token)
        #expect(try store.principal(token: b.session.token).user.name == "bob")
        #expect(store.counts()["sessions"] == 1)
    }

    @Test func logoutOfAnUnknownTokenChangesNothing() throws {
        _ = try store.login(user: "alice", org: "acme", password: "alice")
        store.logout(token: "no-such-token")
        #expect(store.counts()["sessions"] == 1)
    }

    @Test func unknownTokenIsUnauthorized() {
        #expect(throws: DomainError.unauthorized("The session token is missing, unknown or has been logged out; log in with POST /api/sessions.")) {
            try store.principal(token: "forged")
        }
    }
}
