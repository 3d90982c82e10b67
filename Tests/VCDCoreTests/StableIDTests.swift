import Testing
import VCDCore

/// Fixture entities without an id get one derived from their names, the same on every start.
@Suite struct StableIDTests {
    @Test func sameNamesGiveTheSameID() {
        #expect(StableID.uuid("org", "globex") == StableID.uuid("org", "globex"))
    }

    @Test func differentNamesGiveDifferentIDs() {
        #expect(StableID.uuid("org", "globex") != StableID.uuid("org", "acme"))
    }

    @Test func kindIsPartOfTheIdentity() {
        #expect(StableID.uuid("vdc", "acme", "x") != StableID.uuid("catalog", "acme", "x"))
    }

    @Test func namesAreCaseSensitive() {
        #expect(StableID.uuid("org", "Acme") != StableID.uuid("org", "acme"))
    }

    @Test func thousandsOfNamesGiveThousandsOfIDs() {
        let ids = Set((0..<5_000).map { StableID.uuid("user", "acme", "user\($0)") })
        #expect(ids.count == 5_000)
    }

    @Test(arguments: [["org", "System"], ["user", "globex", "bob"], ["task", "globex", "0"], [""], ["é", "日本"]])
    func isLowercaseUUIDShapedWithVersion8AndRFC4122Variant(_ parts: [String]) {
        let id = stableID(parts)
        let groups = id.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        #expect(groups.map(\.count) == [8, 4, 4, 4, 12], "\(id)")
        #expect(id.allSatisfy { "0123456789abcdef-".contains($0) }, "\(id)")
        #expect(groups.count == 5 && groups[2].first == "8", "version nibble of \(id)")
        #expect(groups.count == 5 && "89ab".contains(groups[3].first!), "variant of \(id)")
    }

    private func stableID(_ parts: [String]) -> String {
        switch parts.count {
        case 1: StableID.uuid(parts[0])
        case 2: StableID.uuid(parts[0], parts[1])
        default: StableID.uuid(parts[0], parts[1], parts[2])
        }
    }
}
