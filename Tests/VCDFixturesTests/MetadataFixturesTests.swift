import Testing
import VCDCore
import VCDFixtures

/// Metadata in fixture files: on orgs, vdcs, catalogs, users and tasks, with types, domains and visibility.
@Suite struct MetadataFixturesTests {
    func load(_ yaml: String) throws -> Fixtures {
        try FixtureLoader.load(yaml: FixtureLoaderTests.system + yaml, file: "m.yaml", now: FixtureLoaderTests.now)
    }

    func failure(_ yaml: String) -> FixtureError? {
        do {
            _ = try FixtureLoader.load(yaml: FixtureLoaderTests.system + yaml, file: "m.yaml", now: FixtureLoaderTests.now)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyObjectMayCarryTypedMetadataInAnyDomain() throws {
        let f = try load("""
              - name: t
                users:
                  - name: u
                    password: pw
                    role: vApp Author
                    enabled: false
                    metadata:
                      - {key: k, value: "1", type: number}
                vdcs:
                  - name: v
                    metadata:
                      - {key: tier, value: gold, domain: SYSTEM, visibility: PRIVATE}
                catalogs:
                  - name: c
                    metadata:
                      - {key: b, value: "true", type: boolean}
                tasks:
                  - name: task
                    metadata:
                      - {key: d, value: "2024-05-01T10:00:00.000Z", type: dateTime, domain: SYSTEM}
            """)
        let org = try #require(f.orgs.first { $0.name == "t" })
        #expect(org.users[0].role == .vappAuthor)
        #expect(org.users[0].enabled == false)
        #expect(org.users[0].metadata == [MetadataEntry(key: "k", value: "1", type: .number)])
        #expect(org.vdcs[0].metadata == [MetadataEntry(key: "tier", value: "gold", domain: .system, visibility: .private)])
        #expect(org.catalogs[0].metadata == [MetadataEntry(key: "b", value: "true", type: .boolean)])
        #expect(f.tasks.first { $0.orgID == org.id }?.metadata == [
            MetadataEntry(key: "d", value: "2024-05-01T10:00:00.000Z", type: .dateTime, domain: .system, visibility: .readOnly),
        ])
    }

    @Test func badValuesAndPairsNameFileAndLine() throws {
        let bad = try #require(failure("""
              - name: t
                metadata:
                  - {key: n, value: many, type: number}
            """))
        #expect(bad.description.hasPrefix("m.yaml:"), "\(bad)")
        #expect(bad.description.contains("MetadataNumberValue"), "\(bad)")
        let pair = try #require(failure("""
              - name: t
                metadata:
                  - {key: n, value: x, domain: GENERAL, visibility: PRIVATE}
            """))
        #expect(pair.description.contains("GENERAL with visibility PRIVATE is not valid"), "\(pair)")
        let domain = try #require(failure("""
              - name: t
                metadata:
                  - {key: n, value: x, domain: TENANT}
            """))
        #expect(domain.description.contains("metadata domain 'TENANT' is unknown"), "\(domain)")
    }
}
