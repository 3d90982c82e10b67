import Testing
import VCDXML

/// The user view of organizations: `GET /api/org` (§3.1), `GET /api/org/{id}` (§3.2) and its metadata (§8).
@Suite struct OrgsTests {
    // MARK: GET /api/org

    @Test func sysadminSeesEveryOrgIncludingSystem() throws {
        let server = try TestServer()
        let list = try expectDocument(server.sysadmin().send("GET", "/api/org"), 200, MediaType.orgList)
        #expect(list.name == "OrgList")
        #expect(list.children("Org").map { $0["name"] } == ["System", "acme", "globex"])
    }

    @Test func orgAdministratorSeesOnlyTheirOwnOrg() throws {
        let server = try TestServer()
        let list = try server.alice().send("GET", "/api/org").xml()
        #expect(list.children("Org").map { $0["name"] } == ["acme"])
    }

    @Test func plainUserSeesOnlyTheirOwnOrg() throws {
        let server = try TestServer()
        let list = try server.carol().send("GET", "/api/org").xml()
        #expect(list.children("Org").map { $0["name"] } == ["globex"])
    }

    @Test func orgListEntriesAreOrgReferences() throws {
        let server = try TestServer()
        let list = try server.alice().send("GET", "/api/org").xml()
        #expect(list["href"] == server.url("/api/org/"))
        #expect(list["type"] == MediaType.orgList)
        let acme = try #require(list.child("Org"))
        #expect(acme["type"] == MediaType.org)
        #expect(acme["href"] == server.url("/api/org/26"))
    }

    @Test func orgListAnswersWithOrWithoutTrailingSlash() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try alice.send("GET", "/api/org/").status == 200)
        #expect(try alice.send("GET", "/api/org").status == 200)
    }

    // MARK: GET /api/org/{id}

    @Test func orgIsTheUserViewWithURNId() throws {
        let server = try TestServer()
        let org = try expectDocument(server.alice().send("GET", "/api/org/26"), 200, MediaType.org)
        #expect(org.name == "Org")
        #expect(org["id"] == "urn:vcloud:org:26")
        #expect(org["name"] == "acme")
        #expect(org["type"] == MediaType.org)
        #expect(org["href"] == server.url("/api/org/26"))
    }

    @Test func orgChildrenAreLinksThenDescriptionThenFullName() throws {
        let server = try TestServer()
        let org = try server.alice().send("GET", "/api/org/26").xml()
        #expect(org.childSequence == ["Link", "Description", "FullName"])
        #expect(org.child("FullName")?.text == "Acme Corporation")
        #expect(org.child("Description")?.text == "Tenant org of the vCloud API Programming Guide example")
    }

    @Test func orgHasExactlyOneTasksListLink() throws {
        let server = try TestServer()
        let org = try server.alice().send("GET", "/api/org/26").xml()
        let tasksLists = org.children("Link").filter { $0["type"] == MediaType.tasksList }
        #expect(tasksLists.count == 1)
        #expect(tasksLists.first?["rel"] == "down")
        #expect(tasksLists.first?["href"] == server.url("/api/tasksList/26"))
    }

    @Test func orgLinksDownToItsVdcCatalogAndNetwork() throws {
        let server = try TestServer()
        let org = try server.alice().send("GET", "/api/org/26").xml()
        let vdc = try #require(org.link(rel: "down", type: MediaType.vdc))
        #expect(vdc["name"] == "acme-vdc")
        #expect(vdc["href"]?.hasPrefix(server.url("/api/vdc/")) == true)
        let catalog = try #require(org.link(rel: "down", type: MediaType.catalog))
        #expect(catalog["name"] == "acme-catalog")
        #expect(catalog["href"]?.hasPrefix(server.url("/api/catalog/")) == true)
        let network = try #require(org.link(rel: "down", type: MediaType.orgNetwork))
        #expect(network["name"] == "acme-net")
        #expect(network["href"]?.hasPrefix(server.url("/api/network/")) == true)
    }

    @Test func orgLinksDownToItsMetadata() throws {
        let server = try TestServer()
        let org = try server.alice().send("GET", "/api/org/26").xml()
        #expect(org.link(rel: "down", type: MediaType.metadata)?["href"] == server.url("/api/org/26/metadata"))
    }

    @Test func everyDownLinkOfAnOrgResolvesForItsUsers() throws {
        let server = try TestServer()
        let carol = try server.carol()
        let globex = try server.orgID("globex")
        let org = try carol.send("GET", "/api/org/\(globex)").xml()
        let downs = org.children("Link").filter { $0["rel"] == "down" }
        #expect(downs.count == 5)
        for link in downs {
            let href = try #require(link["href"])
            let r = try carol.send("GET", href)
            #expect(r.status == 200, "GET \(href)")
            #expect(r.header("Content-Type") == versioned(link["type"] ?? ""), "GET \(href)")
        }
    }

    @Test func sysadminReadsAnyOrg() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        #expect(try admin.send("GET", "/api/org/26").status == 200)
        #expect(try admin.send("GET", "/api/org/\(server.orgID("globex"))").status == 200)
    }

    @Test func tenantGets403ForAnotherOrg() throws {
        let server = try TestServer()
        let globex = try server.orgID("globex")
        try expectNoAccess(server.alice().send("GET", "/api/org/\(globex)"), "org", globex)
        try expectNoAccess(server.carol().send("GET", "/api/org/26"), "org", "26")
    }

    /// The org document cache answers a hit without the org table: it must still refuse a caller who may not
    /// read the org, and must not outlive the org.
    @Test func aCachedOrgDocumentIsStillRefusedToOtherTenants() throws {
        let server = try TestServer()
        #expect(try server.sysadmin().send("GET", "/api/org/26").status == 200)
        #expect(try server.alice().send("GET", "/api/org/26").status == 200)
        try expectNoAccess(server.carol().send("GET", "/api/org/26"), "org", "26")
    }

    @Test func aDeletedOrgIsGoneThoughItsDocumentWasCached() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let id = try admin.createOrg("shortlived")
        #expect(try admin.send("GET", "/api/org/\(id)").status == 200)
        #expect(try admin.send("GET", "/api/org/\(id)").status == 200)
        #expect(try admin.send("DELETE", "/api/admin/org/\(id)?force=true&recursive=true").status == 204)
        try expectNoAccess(admin.send("GET", "/api/org/\(id)"), "org", id)
    }

    @Test func tenantGets403ForOrgSystem() throws {
        let server = try TestServer()
        let system = try server.orgID("System")
        try expectNoAccess(server.bob().send("GET", "/api/org/\(system)"), "org", system)
    }

    @Test func unknownOrgIdGives403NotFound404() throws {
        let server = try TestServer()
        let id = "00000000-0000-0000-0000-000000000099"
        try expectNoAccess(server.sysadmin().send("GET", "/api/org/\(id)"), "org", id)
    }

    // MARK: GET /api/org/{id}/metadata

    @Test func orgMetadataListsTypedEntries() throws {
        let server = try TestServer()
        let metadata = try expectDocument(server.alice().send("GET", "/api/org/26/metadata"), 200, MediaType.metadata)
        #expect(metadata.name == "Metadata")
        #expect(metadata["href"] == server.url("/api/org/26/metadata"))
        let entry = try #require(metadata.child("MetadataEntry"))
        #expect(entry.child("Key")?.text == "costCenter")
        let value = try #require(entry.child("TypedValue"))
        #expect(value["type"] == "MetadataStringValue")
        #expect(value.child("Value")?.text == "4711")
    }

    @Test func orgMetadataLinksUpToTheOrg() throws {
        let server = try TestServer()
        let metadata = try server.alice().send("GET", "/api/org/26/metadata").xml()
        #expect(metadata.link(rel: "up", type: MediaType.org)?["href"] == server.url("/api/org/26"))
        #expect(metadata.childSequence.first == "Link")
    }

    @Test func orgWithoutMetadataHasNoEntries() throws {
        let server = try TestServer()
        let globex = try server.orgID("globex")
        let r = try server.bob().send("GET", "/api/org/\(globex)/metadata")
        #expect(r.status == 200)
        #expect(try r.xml().children("MetadataEntry").isEmpty)
    }

    @Test func tenantGets403ForAnotherOrgsMetadata() throws {
        let server = try TestServer()
        try expectNoAccess(server.bob().send("GET", "/api/org/26/metadata"), "org", "26")
    }
}
