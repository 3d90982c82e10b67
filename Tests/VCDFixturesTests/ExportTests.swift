import Foundation
import Testing
import VCDCore
import VCDFixtures

/// load → export → load gives the same state and the same export.
@Suite struct ExportTests {
    static let now = FixtureLoaderTests.now

    func roundTrip(_ fixtures: Fixtures) throws -> (String, Fixtures) {
        let first = FixtureExporter.yaml(fixtures)
        let again = try FixtureLoader.load(yaml: first, file: "export.yaml", now: Timestamp(milliseconds: 0))
        return (first, again)
    }

    @Test func defaultFixturesRoundTrip() throws {
        let loaded = try FixtureLoader.load(directory: FixtureLoaderTests.defaultDirectory, now: Self.now)
        let (first, again) = try roundTrip(loaded)
        #expect(again.snapshot == loaded.snapshot)
        #expect(FixtureExporter.yaml(again) == first)
    }

    /// 1,000 generated orgs with users, inventory, metadata, tasks of every status and events.
    @Test func thousandGeneratedOrgsRoundTrip() throws {
        var yaml = "orgs:\n  - name: System\n    users:\n      - name: administrator\n        password: vmware\n        role: system administrator\n"
        let statuses = TaskStatus.allCases
        for i in 0..<1000 {
            yaml += """
                  - name: org\(i)
                    description: "Org #\(i): \\"quoted\\" ünïcode"
                    enabled: \(i % 7 != 0)
                    users:
                      - name: admin\(i)
                        password: "p: \(i)"
                        role: org administrator
                      - name: user\(i)
                        password: u\(i)
                        email: user\(i)@example.test
                    vdcs: [{ name: vdc\(i) }]
                    catalogs: [{ name: cat\(i), description: "line1\\nline2" }]
                    networks: [{ name: net\(i) }]
                    metadata:
                      - { key: n, value: "\(i)", type: number }
                    tasks:
                      - name: t\(i)
                        status: \(statuses[i % statuses.count].rawValue)
                        user: user\(i)
                        progress: \(i % 101)
                        startTime: 2024-05-01T10:00:00.000Z
                    events:
                      - type: com/example/ev\(i)
                        timestamp: 2024-05-01T10:00:0\(i % 10).000Z
                        success: false
                        user: { kind: user, id: "u-\(i)", name: user\(i) }
                        owner: { href: "http://x/api/vApp/\(i)", name: app }
                        entity: { kind: task, id: "t-\(i)", name: t }

                """
        }
        yaml += "services:\n  - { name: b, namespace: org.example.b, exchange: x, routingKey: b, filters: [\"/api/org/[^/]+/b\"] }\n"
        yaml += "settings:\n  notifications: true\n  amqp: { host: broker, port: 5673, exchange: ex }\n"
        let loaded = try FixtureLoader.load(yaml: yaml, file: "gen.yaml", now: Self.now)
        #expect(loaded.orgs.count == 1001)
        #expect(loaded.events.count == 1000)
        let (first, again) = try roundTrip(loaded)
        #expect(again.snapshot == loaded.snapshot)
        #expect(again.settings == loaded.settings)
        #expect(again.settings?.amqp.port == 5673)
        #expect(FixtureExporter.yaml(again) == first)
    }

    /// Fields tasks get at runtime, which hand-written fixtures leave out, survive the export.
    @Test func runtimeTaskFieldsSurvive() throws {
        let base = try FixtureLoader.load(directory: FixtureLoaderTests.defaultDirectory, now: Self.now)
        let org = try #require(base.orgs.first { !$0.isSystem })
        var task = CloudTask(id: "x-1", orgID: org.id, name: "job", status: .error, startTime: Self.now,
                        expiryTime: Self.now.adding(days: 3))
        task.endTime = Timestamp(milliseconds: Self.now.milliseconds + 5000)
        task.serviceNamespace = "org.example.ns"
        task.operationKey = "key"
        task.description = "d"
        task.cancelRequested = true
        task.owner = Reference(href: "http://h/api/vApp/1", name: "vapp", type: "application/vnd.vmware.vcloud.vApp+xml")
        task.user = .external(Reference(href: "http://h/api/admin/user/9"))
        task.organization = .org(id: "other", name: "Other")
        task.error = TaskError(message: "broke\n\"badly\"", majorErrorCode: 400, minorErrorCode: "BAD_REQUEST",
                               vendorSpecificErrorCode: "v", stackTrace: "at x")
        var fixtures = base
        fixtures.tasks.append(task)
        fixtures.settings = FixtureSettings(amqp: AMQPSettings(password: "s3cret"), configured: false, notifications: false)
        let (_, again) = try roundTrip(fixtures)
        #expect(again.tasks.first { $0.id == "x-1" } == task)
        #expect(again.settings == fixtures.settings)
    }

    @Test func newKeysAreCheckedWithTheirLine() throws {
        let yaml = FixtureLoaderTests.system + """
              - name: acme
                events:
                  - type: t
                    timestamp: yesterday
                    user: { kind: user, id: "1" }

            """
        do {
            _ = try FixtureLoader.load(yaml: yaml, file: "e.yaml", now: Self.now)
            Issue.record("loaded")
        } catch {
            #expect(error.description.hasPrefix("e.yaml:10:"), "\(error)")
            #expect(error.description.contains("ISO 8601"))
        }
    }
}
