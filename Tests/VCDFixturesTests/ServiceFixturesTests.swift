import Foundation
import Testing
import VCDCore
import VCDFixtures

/// The top-level `services:` list (Fixtures/README.md): loaded into the Store, every mistake at its line.
@Suite struct ServiceFixturesTests {
    static let now = FixtureLoaderTests.now

    /// Lines 1-6 are the System org; `services:` is line 7, the first service line 8.
    static func yaml(_ services: String) -> String { FixtureLoaderTests.system + "services:\n" + services }

    /// The seed's backup service, as Fixtures/README.md documents it.
    static let backup = """
          - name: backup
            namespace: org.example.vcd.backup
            exchange: vcdext
            routingKey: backup
            filters:
              - "/api/org/[^/]+/backups(/.*)?"

        """

    func load(_ yaml: String) throws -> Fixtures { try FixtureLoader.load(yaml: yaml, file: "s.yaml", now: Self.now) }

    func failure(_ yaml: String) -> FixtureError? {
        do {
            _ = try FixtureLoader.load(yaml: yaml, file: "s.yaml", now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    @Test func theDefaultFixturesRegisterNoService() throws {
        #expect(try FixtureLoader.load(directory: FixtureLoaderTests.defaultDirectory, now: Self.now).services.isEmpty)
    }

    @Test func theDocumentedBackupServiceLoadsWithDefaults() throws {
        let s = try #require(try load(Self.yaml(Self.backup)).services.first)
        #expect(s.id == StableID.uuid("externalService", "org.example.vcd.backup"))
        #expect((s.name, s.namespace, s.exchange, s.routingKey) == ("backup", "org.example.vcd.backup", "vcdext", "backup"))
        #expect(s.enabled && !s.authorizationEnabled && s.priority == 50 && s.vendor.isEmpty && s.description.isEmpty)
        #expect(s.filters == [APIFilter(id: StableID.uuid("apiFilter", "org.example.vcd.backup", "0"),
                                        urlPattern: "/api/org/[^/]+/backups(/.*)?")])
    }

    @Test func everyKeyIsRead() throws {
        let f = try load(Self.yaml("""
              - name: cse
                id: "45"
                namespace: cse
                exchange: cse-ext
                routingKey: cse
                enabled: false
                priority: 80
                vendor: VMware
                description: Container Service Extension
                authorizationEnabled: true
                filters: ["/api/cse", "/api/cse/.*"]

            """))
        #expect(f.services == [ExtensionService(id: "45", name: "cse", namespace: "cse", enabled: false, authorizationEnabled: true,
                                                routingKey: "cse", priority: 80, exchange: "cse-ext", vendor: "VMware",
                                                description: "Container Service Extension",
                                                filters: [APIFilter(id: StableID.uuid("apiFilter", "cse", "0"), urlPattern: "/api/cse"),
                                                          APIFilter(id: StableID.uuid("apiFilter", "cse", "1"), urlPattern: "/api/cse/.*")])])
    }

    /// What the server does at start with `loaded.services`.
    @Test func aStoreBuiltFromFixturesForwardsMatchingPaths() throws {
        let f = try load(Self.yaml(Self.backup + """
              - name: off
                namespace: off
                exchange: x
                routingKey: off
                enabled: false
                filters: ["/api/.*"]

            """))
        let store = Store(orgs: f.orgs, tasks: f.tasks, services: f.services)
        #expect(store.extensionServices.map(\.name) == ["backup", "off"])
        #expect(store.forwardingService(forPath: "/api/org/26/backups?limit=1")?.name == "backup")
        #expect(store.forwardingService(forPath: "/api/org/26/backupsX") == nil)
        #expect(store.forwardingService(forPath: "/api/org") == nil, "the disabled catch-all matches nothing")
    }

    @Test func servicesMayComeBeforeOrgsAndFromAnyFile() throws {
        let f = try load("services:\n" + Self.backup + FixtureLoaderTests.system)
        #expect(f.services.count == 1 && f.orgs.count == 1)
    }

    static let mistakes: [(String, String, Int, String)] = [
        ("a bad regex names the filter's line", backup.replacingOccurrences(of: "(/.*)?", with: "(/.*"), 13,
         "service 'backup': UrlPattern \"/api/org/[^/]+/backups(/.*\" is not a valid regular expression: expected ')'."),
        ("no exchange", backup.replacingOccurrences(of: "    exchange: vcdext\n", with: ""), 8, "service 'backup' needs a exchange"),
        ("no namespace", backup.replacingOccurrences(of: "    namespace: org.example.vcd.backup\n", with: ""), 8,
         "service 'backup' needs a namespace"),
        ("empty routing key", backup.replacingOccurrences(of: "routingKey: backup", with: "routingKey: ''"), 11,
         "service 'backup': routingKey must not be empty"),
        ("no name", backup.replacingOccurrences(of: "  - name: backup\n    namespace", with: "  - namespace"), 8, "service '?' needs a name"),
        ("a typo", backup.replacingOccurrences(of: "routingKey", with: "routingkey"), 11, "unknown key 'routingkey' in a service"),
        ("priority out of range", backup + "    priority: 101\n", 14, "priority 101 is outside 0...100 (50 is neutral)"),
        ("filters not a list", backup.replacingOccurrences(of: "filters:\n      - ", with: "filters: "), 12,
         "filters must be a list (lines starting with '- ')"),
    ]

    @Test(arguments: mistakes)
    func mistakesNameTheirLine(_ why: String, _ services: String, _ line: Int, _ problem: String) throws {
        let error = try #require(failure(Self.yaml(services)), "\(why)")
        #expect(error.file == "s.yaml")
        #expect(error.line == line, "\(why): \(error)")
        #expect(error.problem.hasPrefix(problem), "\(why): \(error)")
    }

    @Test func aDuplicateNamespaceNamesBothPlaces() throws {
        let error = try #require(failure(Self.yaml(Self.backup + Self.backup.replacingOccurrences(of: "name: backup", with: "name: b2"))))
        #expect(error.description == "s.yaml:15: service namespace 'org.example.vcd.backup' is used twice (first at s.yaml:9); namespaces must be unique")
    }

    @Test func aDuplicateIdAcrossFilesIsRefused() throws {
        let dir = try TemporaryDirectory()
        try dir.write("00-system.yaml", FixtureLoaderTests.system)
        try dir.write("10-a.yaml", "services:\n  - {name: a, id: s1, namespace: a, exchange: x, routingKey: a}\n")
        try dir.write("20-b.yaml", "services:\n  - {name: b, id: s1, namespace: b, exchange: x, routingKey: b}\n")
        var error: FixtureError?
        do { _ = try FixtureLoader.load(directory: dir.path, now: Self.now) } catch let e { error = e }
        let description = try #require(error).description
        #expect(description.hasPrefix("\(dir.path)/20-b.yaml:2: service id 's1' is used twice"), "\(description)")
    }
}
