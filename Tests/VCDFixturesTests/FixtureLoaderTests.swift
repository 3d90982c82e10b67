import Foundation
import Testing
import VCDCore
import VCDFixtures

/// Fixture files: the default orgs load, and every mistake is reported with its file and line.
@Suite struct FixtureLoaderTests {
    static let now = Timestamp(milliseconds: 1_714_557_600_000)  // 2024-05-01T10:00:00.000Z

    /// Fixtures/default, found from this file: Tests/VCDFixturesTests/FixtureLoaderTests.swift.
    static let defaultDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/default").path

    /// Lines 1-6: a valid System org; broken YAML below starts at line 7.
    static let system = """
        orgs:
          - name: System
            users:
              - name: administrator
                password: vmware
                role: system administrator

        """

    func loadDefault() throws -> Fixtures {
        try FixtureLoader.load(directory: Self.defaultDirectory, now: Self.now)
    }

    func failure(_ yaml: String, file: String = "broken.yaml") -> FixtureError? {
        do {
            _ = try FixtureLoader.load(yaml: yaml, file: file, now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    // MARK: The default fixtures

    @Test func defaultFixturesHoldSystemAcmeAndGlobexInFileOrder() throws {
        #expect(try loadDefault().orgs.map(\.name) == ["System", "acme", "globex"])
    }

    @Test func acmeKeepsTheProgrammingGuidesID() throws {
        let acme = try #require(try loadDefault().orgs.first { $0.name == "acme" })
        #expect(acme.id == "26")
        #expect(acme.fullName == "Acme Corporation")
        #expect(acme.vdcs.map(\.name) == ["acme-vdc"])
        #expect(acme.catalogs.map(\.name) == ["acme-catalog"])
        #expect(acme.networks.map(\.name) == ["acme-net"])
        #expect(acme.metadata == [MetadataEntry(key: "costCenter", value: "4711", type: .string)])
    }

    @Test func usersHaveTheirRolesAndPasswords() throws {
        let users = try loadDefault().orgs.map { org in org.users.map { "\(org.name)/\($0.name):\($0.password) \($0.role.rawValue)" } }
        #expect(users == [
            ["System/administrator:vmware system administrator"],
            ["acme/alice:alice org administrator"],
            ["globex/bob:bob org administrator", "globex/carol:carol user"],
        ])
    }

    @Test func systemOrgIsTheSystemOrg() throws {
        let orgs = try loadDefault().orgs
        #expect(orgs.map(\.isSystem) == [true, false, false])
        #expect(orgs.map(\.enabled) == [true, true, true])
    }

    @Test func globexSeedTaskIsFinishedWithItsTimes() throws {
        let fixtures = try loadDefault()
        #expect(fixtures.tasks.count == 1)
        let task = try #require(fixtures.tasks.first)
        let globex = try #require(fixtures.orgs.first { $0.name == "globex" })
        let bob = try #require(globex.users.first { $0.name == "bob" })
        #expect(task.orgID == globex.id)
        #expect(task.status == .success)
        #expect(task.serviceNamespace == "org.example.vcd.backup")
        #expect(task.operationName == "backupComplete")
        #expect(task.progress == 100)
        #expect(task.startTime.iso8601 == "2024-05-01T10:00:00.000Z")
        #expect(task.endTime?.iso8601 == "2024-05-01T10:00:00.000Z")
        #expect(task.expiryTime.iso8601 == "2024-07-30T10:00:00.000Z")
        #expect(task.user == .user(id: bob.id, name: "bob"))
        #expect(task.organization == .org(id: globex.id, name: "globex"))
        #expect(task.error == nil)
    }

    @Test func entitiesWithoutIDsGetStableIDsAcrossLoads() throws {
        let first = try loadDefault()
        let second = try FixtureLoader.load(directory: Self.defaultDirectory, now: Self.now.adding(days: 1))
        func ids(_ f: Fixtures) -> [String] {
            var ids: [String] = []
            for org in f.orgs {
                ids.append(org.id)
                ids += org.users.map(\.id)
                ids += (org.vdcs + org.catalogs + org.networks).map(\.id)
            }
            return ids + f.tasks.map(\.id)
        }
        #expect(ids(first) == ids(second))
        #expect(Set(ids(first)).count == ids(first).count)
    }

    @Test func stableIDsDeriveFromKindOrgAndName() throws {
        let globex = try #require(try loadDefault().orgs.first { $0.name == "globex" })
        #expect(globex.id == StableID.uuid("org", "globex"))
        #expect(globex.users.first?.id == StableID.uuid("user", "globex", "bob"))
        #expect(globex.vdcs.first?.id == StableID.uuid("vdc", "globex", "globex-vdc"))
    }

    @Test func taskWithoutStartTimeStartsNow() throws {
        let f = try FixtureLoader.load(yaml: Self.system + """
              - name: acme
                tasks:
                  - status: running
            """, now: Self.now)
        #expect(f.tasks.first?.startTime == Self.now)
        #expect(f.tasks.first?.endTime == nil)
        #expect(f.tasks.first?.serviceNamespace == "org.example.vcd.fixture")
    }

    // MARK: Broken fixtures name the file and line

    @Test func badYAMLSyntax() throws {
        let error = try #require(failure("""
            orgs:
              - name: System
                fullName: a: b
            """))
        #expect(error.file == "broken.yaml")
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("broken.yaml:3: is not valid YAML: "), "\(error)")
    }

    @Test func unknownKeyIsATypo() throws {
        let error = try #require(failure("""
            orgs:
              - name: System
                users:
                  - name: administrator
                    pasword: vmware
            """))
        #expect(error.description == "broken.yaml:5: unknown key 'pasword' in a user; allowed: description, email, enabled, fullName, id, metadata, name, password, role")
    }

    @Test func unknownTopLevelKey() throws {
        let error = try #require(failure("org:\n  - name: System\n"))
        #expect(error.description == "broken.yaml:1: unknown key 'org' in the file; allowed: blockingTasks, orgs, services, settings")
    }

    @Test func orgWithoutName() throws {
        let error = try #require(failure(Self.system + """
              - fullName: Nameless Corp
                description: forgot the name
            """))
        #expect(error.description == "broken.yaml:7: an org needs a name")
    }

    @Test func userWithoutPassword() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                users:
                  - name: alice
                    role: user
            """))
        #expect(error.description == "broken.yaml:9: user 'alice' needs a password")
    }

    @Test func duplicateOrg() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
              - name: acme
            """))
        #expect(error.description == "broken.yaml:8: org 'acme' is defined twice (first at broken.yaml:7)")
    }

    @Test func duplicateOrgDiffersOnlyInCase() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
              - name: ACME
            """))
        #expect(error.description == "broken.yaml:8: org 'ACME' is defined twice (first at broken.yaml:7)")
    }

    @Test func duplicateID() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                id: "26"
              - name: globex
                id: "26"
            """))
        #expect(error.description == "broken.yaml:10: org id '26' is used twice (first at broken.yaml:8)")
    }

    @Test func sameIDForDifferentKindsIsAllowed() throws {
        let f = try FixtureLoader.load(yaml: Self.system + """
              - name: acme
                id: "26"
                vdcs:
                  - name: acme-vdc
                    id: "26"
            """, now: Self.now)
        #expect(f.orgs[1].vdcs.first?.id == "26")
    }

    @Test func unknownRole() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                users:
                  - name: alice
                    password: alice
                    role: superuser
            """))
        #expect(error.description == "broken.yaml:11: role 'superuser' is unknown; use one of: system administrator, org administrator, vapp author, user, console access only")
    }

    @Test func roleIsCaseInsensitive() throws {
        let f = try FixtureLoader.load(yaml: Self.system + """
              - name: acme
                users:
                  - name: alice
                    password: alice
                    role: Org Administrator
            """, now: Self.now)
        #expect(f.orgs[1].users.first?.role == .orgAdministrator)
    }

    @Test func sysadminOutsideSystem() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                users:
                  - name: alice
                    password: alice
                    role: system administrator
            """))
        #expect(error.description == "broken.yaml:11: only users of org System can be system administrators")
    }

    @Test func badStartTime() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                tasks:
                  - name: task
                    startTime: yesterday
            """))
        #expect(error.description == "broken.yaml:10: startTime must be ISO 8601, e.g. 2024-05-01T10:00:00.000Z")
    }

    @Test func unknownTaskStatus() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                tasks:
                  - status: done
            """))
        #expect(error.description == "broken.yaml:9: task status 'done' is unknown")
    }

    @Test func unknownTaskUser() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                users:
                  - name: alice
                    password: alice
                tasks:
                  - name: task
                    user: zed
            """))
        #expect(error.description == "broken.yaml:13: task user 'zed' is not a user of org 'acme'")
    }

    @Test func taskUserMustBelongToTheTasksOrg() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                tasks:
                  - user: administrator
            """))
        #expect(error.description == "broken.yaml:9: task user 'administrator' is not a user of org 'acme'")
    }

    @Test func noSystemOrgNamesTheFile() throws {
        let error = try #require(failure("""
            orgs:
              - name: acme
            """))
        #expect(error.file == "broken.yaml")
        #expect(error.line == nil)
        #expect(error.description == "broken.yaml: no org named System: nobody could log in as system administrator")
    }

    @Test func systemOrgWithoutSysadmin() throws {
        let error = try #require(failure("""
            orgs:
              - name: System
                users:
                  - name: operator
                    password: x
                    role: org administrator
            """))
        #expect(error.description == "broken.yaml: org System has no user with role 'system administrator'")
    }

    @Test func orgsMustBeAList() throws {
        let error = try #require(failure("orgs:\n  name: System\n"))
        #expect(error.description == "broken.yaml:2: orgs must be a list (lines starting with '- ')")
    }

    @Test func progressMustBeAWholeNumber() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                tasks:
                  - progress: half
            """))
        #expect(error.description == "broken.yaml:9: progress must be a whole number")
    }

    @Test func progressMustBeAPercentage() throws {
        let error = try #require(failure(Self.system + """
              - name: acme
                tasks:
                  - progress: 101
            """))
        #expect(error.description == "broken.yaml:9: task progress 101 is outside 0...100")
    }
}
