import Testing
import VCDCore
@testable import VCDMock

/// The `filter` grammar of reference §7.3, parsed and evaluated without a server. Table-driven.
@Suite struct FilterGrammarTests {
    static func c(_ a: String, _ op: FilterOperator, _ v: String) -> FilterNode {
        .condition(FilterCondition(attribute: a, op: op, value: FilterParser.pattern(v)))
    }

    static let valid: [(String, FilterNode)] = [
        ("name==acme", c("name", .eq, "acme")),
        ("name!=acme", c("name", .ne, "acme")),
        ("progress=gt=5", c("progress", .gt, "5")),
        ("progress=ge=5", c("progress", .ge, "5")),
        ("startDate=lt=2024-05-01T10:00:00.000Z", c("startDate", .lt, "2024-05-01T10:00:00.000Z")),
        ("startDate=le=2024-05-01", c("startDate", .le, "2024-05-01")),
        ("status==queued,status==preRunning,status==running",
         .or([c("status", .eq, "queued"), c("status", .eq, "preRunning"), c("status", .eq, "running")])),
        ("a==1;b==2,c==3", .or([.and([c("a", .eq, "1"), c("b", .eq, "2")]), c("c", .eq, "3")])),
        ("a==1;(b==2,c==3)", .and([c("a", .eq, "1"), .or([c("b", .eq, "2"), c("c", .eq, "3")])])),
        ("((a==1))", c("a", .eq, "1")),
        ("name==foo\\,bar\\;baz\\(x\\)", c("name", .eq, "foo,bar;baz(x)")),
        ("metadata:costCenter==4711", c("metadata:costCenter", .eq, "4711")),
        ("href==http://h:8080/api/org/26", c("href", .eq, "http://h:8080/api/org/26")),
        ("name==a b", c("name", .eq, "a b")),
    ]

    @Test(arguments: valid)
    func parses(filter: String, expected: FilterNode) throws {
        #expect(try FilterParser.parse(filter) == expected)
    }

    @Test func wildcardsAndEscapedStars() {
        #expect(FilterParser.pattern("a*b**c").parts == [.text("a"), .star, .text("b"), .star, .text("c")])
        #expect(FilterParser.pattern("a\\*").parts == [.text("a*")])
        #expect(!FilterParser.pattern("a\\*").hasWildcard)
    }

    /// filterEncoded=true: structure first, then each value is percent-decoded (%2C is a comma, not an OR).
    @Test func encodedValuesAreDecodedAfterTheStructure() throws {
        #expect(try FilterParser.parse("name==a%2Cb%3Bc%28d%29,x==%2A", encoded: true)
                == .or([Self.c("name", .eq, "a,b;c(d)"), Self.c("x", .eq, "*")]))
        #expect(try FilterParser.parse("name==a%2Cb") == Self.c("name", .eq, "a%2Cb"), "not decoded without filterEncoded")
    }

    static let malformed: [(String, String)] = [
        ("", "empty"),
        ("name", "expected an operator"),
        ("name=acme", "expected an operator"),
        ("name=xx=acme", "expected an operator"),
        ("name==", "value after \"name==\" is missing"),
        ("==acme", "expected an attribute name"),
        ("name==a;", "a condition is missing at the end"),
        ("name==a,", "a condition is missing at the end"),
        ("(name==a", "is never closed"),
        ("name==a)", "unmatched \")\""),
        ("name==a\\", "a backslash at the end"),
        ("name==a;;b==c", "expected an attribute name"),
        ("()", "expected an attribute name"),
        (String(repeating: "(", count: 40) + "a==1" + String(repeating: ")", count: 40), "nested deeper"),
    ]

    @Test(arguments: malformed)
    func rejects(filter: String, reason: String) {
        #expect {
            try FilterParser.parse(filter)
        } throws: { error in
            guard let e = error as? FilterSyntaxError else { return false }
            return e.message.hasPrefix("Malformed filter") && e.message.contains(reason)
        }
    }

    @Test func anOverlongFilterIsRefused() {
        #expect(throws: FilterSyntaxError.self) { try FilterParser.parse("a==" + String(repeating: "x", count: 9000)) }
    }

    // MARK: evaluation

    struct Row: Sendable {
        var name: String
        var n: Int?
        var t: Timestamp?
        var on: Bool
        var org: EntityLink?
    }

    static let attributes: [String: QueryAttribute<Row>] = {
        let list: [QueryAttribute<Row>] = [
            .string("name") { $0.name }, .int("n") { $0.n }, .date("t") { $0.t }, .bool("on") { $0.on },
            .link("org") { $0.org },
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    static let row = Row(name: "Backup-Nightly", n: 7, t: Timestamp(iso8601: "2024-05-01T10:00:00.000Z"), on: true,
                         org: .org("26"))

    static let evaluations: [(String, Bool)] = [
        ("name==backup-nightly", true), ("name==BACKUP*", true), ("name==*night*", true), ("name==*day", false),
        ("name!=backup*", false), ("name==Backup", false), ("name==*", true), ("name=gt=a", true), ("name=lt=a", false),
        ("n==7", true), ("n=gt=6", true), ("n=ge=7", true), ("n=lt=7", false), ("n=le=7", true), ("n!=7", false),
        ("t==2024-05-01T12:00:00.000+02:00", true), ("t=gt=2024-05-01T09:59:59.999Z", true), ("t=lt=2024-05-01T10:00:00Z", false),
        ("on==true", true), ("on==FALSE", false), ("on!=false", true),
        ("org==26", true), ("org==urn:vcloud:org:26", true), ("org==https://other:443/api/admin/org/26", true),
        ("org==http://h/api/org/27", false), ("org==*/org/2*", true), ("org!=26", false),
        ("name==x,n==7", true), ("name==x;n==7", false), ("(name==x,n==7);on==true", true),
    ]

    @Test(arguments: evaluations)
    func evaluates(filter: String, expected: Bool) throws {
        let predicate = try FilterCompiler(typeName: "test", attributes: Self.attributes).compile(FilterParser.parse(filter))
        #expect(predicate(Self.row) == expected)
    }

    @Test func absentValuesPassOnlyNotEqual() throws {
        let empty = Row(name: "x", n: nil, t: nil, on: false, org: nil)
        for (filter, expected) in [("n==1", false), ("n!=1", true), ("n=gt=1", false), ("t=lt=2030-01-01T00:00:00Z", false),
                                   ("org==26", false), ("org!=26", true)] {
            let p = try FilterCompiler(typeName: "test", attributes: Self.attributes).compile(FilterParser.parse(filter))
            #expect(p(empty) == expected, "\(filter)")
        }
    }

    static let badValues: [(String, String)] = [
        ("nope==1", "does not have"),
        ("n==seven", "is a number"),
        ("t==yesterday", "is a date"),
        ("on==yes", "compare it with true or false"),
        ("on=gt=true", "is a boolean"),
        ("org=gt=26", "is a reference"),
        ("n=gt=1*", "wildcards"),
    ]

    @Test(arguments: badValues)
    func refusesValuesOfTheWrongKind(filter: String, reason: String) throws {
        let node = try FilterParser.parse(filter)
        #expect {
            _ = try FilterCompiler(typeName: "test", attributes: Self.attributes).compile(node)
        } throws: { error in
            guard let e = error as? APIError else { return false }
            return e.status == 400 && e.message.contains(reason)
        }
    }
}
