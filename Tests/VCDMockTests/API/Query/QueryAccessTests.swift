import Testing
import VCDCore
import VCDXML
@testable import VCDMock

/// `GET /api/query`: the QueryList per caller, who may run which type, tenant scoping, and the 400s
/// (reference §7.3).
@Suite struct QueryAccessTests {
    let server: TestServer

    init() throws { server = try TestServer() }

    func get(_ c: TestClient, _ query: String) throws -> TestClient.Response { try c.send("GET", "/api/query" + query) }

    /// Names of the records (or references) of a query answer.
    func names(_ r: TestClient.Response, attribute: String = "name") throws -> [String] {
        try r.xml().children.filter { $0.name != "Link" }.compactMap { $0[attribute] }
    }

    static let adminTypes = ["adminTask", "adminEvent", "adminUser", "adminCatalog", "adminOrgVdc", "adminOrgNetwork",
                             "adminRole", "adminService", "apiFilter", "adminVApp", "adminVM", "adminVAppTemplate",
                             "adminCatalogItem"]
    static let tenantTypes = ["organization", "task", "user", "catalog", "orgVdc", "orgNetwork", "vApp", "vm", "vAppTemplate",
                              "catalogItem"]

    @Test(arguments: [("administrator", "System", 26), ("alice", "acme", 12), ("carol", "globex", 10)])
    func queryListOffersWhatTheCallerMayRun(user: String, org: String, types: Int) throws {
        let list = try expectDocument(get(server.login(user, org, user == "administrator" ? "vmware" : user), ""), 200,
                                      MediaType.queryList)
        let links = list.children("Link")
        #expect(links.count == types * 3)
        for link in links {
            let name = try #require(link["name"])
            let format = try #require(["records": MediaType.queryRecords, "idrecords": MediaType.queryIDRecords,
                                       "references": MediaType.queryReferences].first { $0.value == link["type"] }?.key)
            #expect(link["rel"] == "down")
            #expect(link["href"] == server.url("/api/query?type=\(name)&format=\(format)"))
        }
        let offered = Set(links.compactMap { $0["name"] })
        #expect(offered.isSuperset(of: Self.tenantTypes))
        #expect(offered.contains("event") == (user != "carol"), "events: organization administrators only")
        #expect(offered.contains("role") == (user != "carol"), "roles: organization administrators only")
        #expect(offered.isDisjoint(with: Self.adminTypes) == (user != "administrator"))
    }

    @Test(arguments: ["alice@acme:alice", "carol@globex:carol", "administrator@System:vmware"])
    func everySessionLinksTheQueryList(credentials: String) throws {
        let c = server.client()
        let r = try c.send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic(credentials)])
        #expect(try r.xml().link(rel: "down", type: MediaType.queryList)?["href"] == server.url("/api/query"))
    }

    @Test(arguments: adminTypes)
    func adminTypesAreForSystemAdministratorsOnly(type: String) throws {
        let e = try expectVCDError(get(server.alice(), "?type=\(type)"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(e["message"]?.contains(type) == true)
        #expect(try get(server.sysadmin(), "?type=\(type)").status == 200)
    }

    @Test func eventsAreForAdministrators() throws {
        try expectVCDError(get(server.carol(), "?type=event"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(try get(server.bob(), "?type=event").status == 200)
    }

    @Test func tenantsSeeTheirOwnOrgOnly() throws {
        let alice = try server.alice()
        #expect(try names(get(alice, "?type=organization")) == ["acme"])
        #expect(try names(get(alice, "?type=catalog")) == ["acme-catalog"])
        #expect(try names(get(alice, "?type=orgVdc")) == ["acme-vdc"])
        #expect(try names(get(alice, "?type=orgNetwork")) == ["acme-net"])
        #expect(try names(get(alice, "?type=user")) == ["alice"])
        #expect(try names(get(alice, "?type=task")).isEmpty, "the globex fixture task is not alice's")
        #expect(try names(get(server.carol(), "?type=user")) == ["bob", "carol"])
        let events = try get(alice, "?type=event").xml().children("EventRecord")
        #expect(!events.isEmpty && events.allSatisfy { $0["orgName"] == "acme" })
    }

    @Test func systemAdministratorsSeeEveryOrg() throws {
        let admin = try server.sysadmin()
        #expect(try names(get(admin, "?type=organization")) == ["System", "acme", "globex"])
        #expect(try names(get(admin, "?type=adminUser")) == ["administrator", "alice", "bob", "carol"])
        #expect(try names(get(admin, "?type=adminTask&format=references")) == ["task"])
    }

    /// What pyvcloud's Org.list_vdcs follows at API >= 33: `type=vdc` filtered by org (id, URN or href).
    @Test(arguments: ["org==26", "org==urn:vcloud:org:26", "org==http://elsewhere:1/api/admin/org/26"])
    func vdcAliasFiltersByOrg(filter: String) throws {
        for c in [try server.sysadmin(), try server.alice()] {
            let r = try expectDocument(get(c, "?type=vdc&format=records&filter=" + QueryRequest.encode(filter)), 200,
                                       MediaType.queryRecords)
            #expect(r["name"] == "vdc")
            let records = r.children("OrgVdcRecord")
            #expect(records.map { $0["name"] } == ["acme-vdc"])
            #expect(records.first?["href"]?.hasPrefix(server.url("/api/vdc/")) == true)
        }
        #expect(try names(get(server.bob(), "?type=vdc&filter=org==26")).isEmpty, "bob's scope holds no acme vdc")
    }

    static let badRequests: [(String, String)] = [
        ("?type=nothing", "Query type \"nothing\" is not known"),
        ("?type=Task", "case-sensitive"),
        ("?type=task&format=xml", "format \"xml\""),
        ("?type=task&page=0", "page=0"),
        ("?type=task&page=two", "page=two"),
        ("?type=task&pageSize=129", "larger than the maximum, 128"),
        ("?type=task&pageSize=0", "pageSize=0"),
        ("?type=task&offset=-1", "offset=-1"),
        ("?type=task&filter=name%3D%3D", "Malformed filter"),
        ("?type=task&filter=(name==a", "never closed"),
        ("?type=task&filter=colour==red", "attribute \"colour\""),
        ("?type=task&filter=startDate=gt=soon", "is a date"),
        ("?type=task&sortAsc=colour", "no attribute \"colour\" to sort by"),
        ("?type=task&sortAsc=name&sortDesc=name", "not both"),
        ("?type=task&fields=name,colour", "no attribute \"colour\" to return"),
        ("?type=task&links=maybe", "links=maybe"),
        ("?type=", "type parameter is empty"),
    ]

    @Test(arguments: badRequests)
    func malformedQueriesAnswer400NamingTheProblem(query: String, problem: String) throws {
        let e = try expectVCDError(get(server.sysadmin(), query), 400, "BAD_REQUEST")
        #expect(e["message"]?.contains(problem) == true, "\(e["message"] ?? "")")
    }

    @Test func unknownParametersAreIgnored() throws {
        #expect(try get(server.sysadmin(), "?type=task&force=False&recursive=False").status == 200)
    }
}
