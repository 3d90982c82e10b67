import Foundation
import Synchronization
import Testing
import VCDCore
import VCDXML

/// Which service a request path is forwarded to (`Store.forwardingService(forPath:)`, reference §5.4),
/// with services registered over HTTP as a client would.
@Suite struct ExtensionsMatchingTests {
    func forwarded(_ server: TestServer, _ path: String) -> String? {
        server.app.store.forwardingService(forPath: path)?.name
    }

    @Test(arguments: [
        ("/api/org/26/backups", true), ("/api/org/26/backups/7", true), ("/api/org/some-uuid/backups/", true),
        ("/api/org/26/backups?limit=5", true), ("/api/org/26/backups/7?x=1&y=2", true),
        ("/api/org/26/backupsX", false), ("/api/org/26", false), ("/api/org/26/backups2", false),
        ("/xapi/org/26/backups", false), ("/api/org/26/x/backups", false), ("/api/org//backups", false), ("", false),
    ])
    func theBackupPatternMatchesWholePathsOnly(_ path: String, _ matches: Bool) throws {
        let server = try TestServer()
        try register(server.sysadmin())
        #expect(forwarded(server, path) == (matches ? "backup" : nil), "\(path)")
    }

    @Test func aPrefixOrAPartIsNotAMatch() throws {
        let server = try TestServer()
        try register(server.sysadmin(), serviceXML(filters: ["/api/cse", "api/org"]))
        #expect(forwarded(server, "/api/cse") == "backup")
        #expect(forwarded(server, "/api/cse/clusters") == nil)
        #expect(forwarded(server, "/api/org") == nil, "a pattern matching inside the path is not enough")
    }

    /// CSE registers `/api/cse` and `/api/cse/.*`; java.util.regex-style patterns such as `.*` spans work.
    @Test func javaStylePatternsWork() throws {
        let server = try TestServer()
        try register(server.sysadmin(), serviceXML(filters: ["/api/org/.*/backups", "/api/cse|/api/cse/.*", #"/api/v\d+/(?i)Items"#]))
        #expect(forwarded(server, "/api/org/26/backups") == "backup")
        #expect(forwarded(server, "/api/org/a/b/backups") == "backup", "`.*` crosses slashes, as in Java")
        #expect(forwarded(server, "/api/cse/x") == "backup", "an alternation is tried as a whole")
        #expect(forwarded(server, "/api/v2/ITEMS") == "backup")
        #expect(forwarded(server, "/api/org/26/backups/1") == nil)
    }

    /// A quantifier right after plain text makes its last character optional or repeated.
    @Test(arguments: [("/api/cse?", "/api/cs"), ("/api/x{2}", "/api/xx"), ("/api/a*b", "/api/b"), ("/api/a+b", "/api/aab"),
                      (#"/api\/x"#, "/api/x"), ("(?i)/API/X", "/api/x"), ("/api/é+", "/api/éé"), ("/api/(a|b)", "/api/b")])
    func patternsStartingWithPlainTextThenAnOperator(_ pattern: String, _ path: String) throws {
        let server = try TestServer()
        try register(server.sysadmin(), serviceXML(filters: [pattern]))
        #expect(forwarded(server, path) == "backup", "\(pattern) ~ \(path)")
        #expect(forwarded(server, "/other" + path) == nil)
    }

    @Test func aPatternWrittenForTheQueryMatchesWithIt() throws {
        let server = try TestServer()
        try register(server.sysadmin(), serviceXML(filters: [#"/api/query\?type=backup(&.*)?"#]))
        #expect(forwarded(server, "/api/query?type=backup") == "backup")
        #expect(forwarded(server, "/api/query?type=backup&page=2") == "backup")
        #expect(forwarded(server, "/api/query?type=task") == nil)
        #expect(forwarded(server, "/api/query") == nil)
    }

    @Test func aDisabledServiceNeverMatchesUntilEnabledAgain() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin)["href"])
        #expect(try admin.send("PUT", href, body: Array(serviceXML(enabled: "false", filters: []).utf8)).status == 200)
        #expect(forwarded(server, "/api/org/26/backups") == nil)
        #expect(server.app.store.extensionServices.count == 1, "still registered")
        #expect(try admin.send("PUT", href, body: Array(serviceXML(enabled: "true", filters: []).utf8)).status == 200)
        #expect(forwarded(server, "/api/org/26/backups") == "backup")
    }

    @Test func aServiceRegisteredDisabledDoesNotMatch() throws {
        let server = try TestServer()
        try register(server.sysadmin(), serviceXML(enabled: "false"))
        #expect(forwarded(server, "/api/org/26/backups") == nil)
    }

    @Test func aDeletedFilterOrServiceNoLongerMatches() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let s = try register(admin, serviceXML(filters: [ExtensionsTests.backupPattern, "/api/cse"]))
        let filters = s.child("ApiFilters")?.children("ApiFilter").compactMap { $0["href"] } ?? []
        #expect(try admin.send("DELETE", filters[0]).status == 204)
        #expect(forwarded(server, "/api/org/26/backups") == nil)
        #expect(forwarded(server, "/api/cse") == "backup")
        #expect(try admin.send("DELETE", try #require(s["href"])).status == 204)
        #expect(forwarded(server, "/api/cse") == nil)
    }

    @Test func aFilterAddedLaterMatches() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin, serviceXML(filters: []))["href"])
        #expect(forwarded(server, "/api/cse/x") == nil)
        _ = try admin.send("POST", href + "/apifilters", xml: filterXML("/api/cse/.*"), contentType: MediaType.apiFilter)
        #expect(forwarded(server, "/api/cse/x") == "backup")
    }

    @Test func higherPriorityWinsThenRegistrationOrder() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        try register(admin, serviceXML(name: "first", namespace: "a", filters: ["/api/x/.*"]))
        try register(admin, serviceXML(name: "second", namespace: "b", filters: ["/api/x/.*"]))
        #expect(forwarded(server, "/api/x/1") == "first")
        let third = try register(admin, serviceXML(name: "urgent", namespace: "c", priority: "90", filters: ["/api/x/.*"]))
        #expect(forwarded(server, "/api/x/1") == "urgent")
        _ = try admin.send("PUT", try #require(third["href"]), body: Array(serviceXML(name: "urgent", namespace: "c", priority: "10", filters: []).utf8))
        #expect(forwarded(server, "/api/x/1") == "first")
        #expect(server.app.store.extensionServices.map(\.name) == ["first", "second", "urgent"])
    }

    @Test func theMatchCarriesWhatTheBridgeNeeds() throws {
        let server = try TestServer()
        try register(server.sysadmin())
        let s = try #require(server.app.store.forwardingService(forPath: "/api/org/26/backups"))
        #expect((s.namespace, s.exchange, s.routingKey, s.enabled) == ("org.example.vcd.backup", "vcdext", "backup", true))
        #expect(s.filters.map(\.urlPattern) == [ExtensionsTests.backupPattern])
    }

    /// The bridge matches on every request while an administrator edits services: no torn state.
    @Test func matchingIsSafeWhileServicesChange() throws {
        let server = try TestServer()
        let store = server.app.store
        let admin = try store.login(user: "administrator", org: "System", password: "vmware")
        let draft = ServiceDraft(name: "b", namespace: "b", routingKey: "b", exchange: "x", filters: ["/api/b/[0-9]+"])
        let id = try store.registerService(draft, by: admin).id
        let wrong = Atomic<Int>(0)
        let updateErrors = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for n in 0..<2000 {
                if worker == 0 {
                    do {
                        let s = try store.updateService(id, ServiceDraft(enabled: n % 2 == 1), by: admin)
                        if s.enabled != (n % 2 == 1) { updateErrors.withLock { $0.append("update \(n): enabled=\(s.enabled)") } }
                    } catch {
                        updateErrors.withLock { $0.append("update \(n): \(error)") }
                    }
                } else if let s = store.forwardingService(forPath: "/api/b/\(n)"), s.id != id || !s.enabled {
                    wrong.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(updateErrors.withLock { Array($0.prefix(5)) } == [], "every update went through")
        #expect(wrong.load(ordering: .relaxed) == 0)
        #expect(store.forwardingService(forPath: "/api/b/1")?.id == id, "the last update enabled it")
    }

    @Test func noServicesMeansNothingIsForwarded() throws {
        let server = try TestServer()
        #expect(server.app.store.extensionServices.isEmpty)
        #expect(forwarded(server, "/api/org/26/backups") == nil)
    }
}
