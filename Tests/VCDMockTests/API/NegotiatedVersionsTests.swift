import Testing
import VCDXML

/// Every listed version in every Accept form clients send, 406 for the others, and what differs by version
/// (reference §2.1, §9): Session roles/locationId after 5.5, the Org's vdc query link from 33.0.
@Suite struct NegotiatedVersionsTests {
    static let listed = ["1.5", "5.1", "5.5", "29.0", "30.0", "31.0", "32.0", "33.0", "34.0", "35.0", "36.0"]

    @Test(arguments: listed) func everyListedVersionIsAcceptedInEachAcceptForm(_ version: String) throws {
        let server = try TestServer()
        let alice = try server.alice()
        for accept in ["application/*+xml;version=\(version)", "application/*;version=\(version)",
                       "\(MediaType.org);version=\(version)"] {
            let r = try alice.send("GET", "/api/org/26", headers: ["Accept": accept])
            #expect(r.status == 200, "\(accept): \(r.text)")
            #expect(r.header("Content-Type") == "\(MediaType.org);version=\(version)", "\(accept)")
            #expect(try r.xml().namespace == Namespace.vcloud)
        }
    }

    @Test(arguments: ["28.0", "37.0", "5.6", "36", "1.0"]) func unlistedVersionsAre406(_ version: String) throws {
        let server = try TestServer()
        let alice = try server.alice()
        let r = try alice.send("GET", "/api/org/26", headers: ["Accept": "application/*+xml;version=\(version)"])
        #expect(r.status == 406, "\(version)")
        #expect(try r.xml().name == "Error")
    }

    @Test func theSessionCarriesRolesAndLocationAfter55Only() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let old = try alice.send("GET", "/api/session").xml()
        #expect(old["roles"] == nil && old["locationId"] == nil)
        let new = try alice.send("GET", "/api/session", headers: ["Accept": "application/*+xml;version=36.0"]).xml()
        #expect(new["roles"] == "Organization Administrator", "\(new.attributes)")
        #expect(new["locationId"]?.hasPrefix("26@") == true, "\(new.attributes)")
    }

    @Test func from33TheOrgLinksItsVdcsThroughOneRecordsQuery() throws {
        let server = try TestServer()
        let alice = try server.alice()
        for version in ["33.0", "36.0"] {
            let org = try alice.send("GET", "/api/org/26", headers: ["Accept": "application/*+xml;version=\(version)"]).xml()
            let links = org.children("Link")
            let query = links.filter { $0["type"] == MediaType.queryRecords }
            // The vdc link first (pyvcloud takes the first whose href contains "vdc"), then the catalogs'.
            #expect(query.count == 2)
            #expect(query.allSatisfy { $0["rel"] == "down" })
            #expect(query.first?["href"] == server.url("/api/query?type=orgVdc&format=records&filter=org==\(server.url("/api/org/26"))"))
            #expect(query.last?["href"] == server.url("/api/query?type=catalog&format=records&filter=org==\(server.url("/api/org/26"))"))
            #expect(!links.contains { $0["type"] == MediaType.vdc }, "no direct vdc links at \(version)")
        }
        let old = try alice.send("GET", "/api/org/26", headers: ["Accept": "application/*+xml;version=32.0"]).xml()
        #expect(old.children("Link").contains { $0["type"] == MediaType.vdc && $0["name"] == "acme-vdc" })
        #expect(!old.children("Link").contains { $0["type"] == MediaType.queryRecords })
    }

    @Test func theAdminOrgHasTheVdcQueryLinkFrom33() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let org = try admin.send("GET", "/api/admin/org/26", headers: ["Accept": "application/*+xml;version=36.0"]).xml()
        #expect(org.children("Link").filter { $0["type"] == MediaType.queryRecords }.count == 1)
        let old = try admin.send("GET", "/api/admin/org/26").xml()
        #expect(!old.children("Link").contains { $0["type"] == MediaType.queryRecords })
    }
}
