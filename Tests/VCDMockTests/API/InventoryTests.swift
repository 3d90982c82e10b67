import Testing
import VCDXML

/// Vdcs, catalogs and org networks, user view (`/api/vdc|catalog|network/{id}`) and admin view
/// (`/api/admin/catalog|network/{id}`): minimal documents, so that every link of an Org resolves.
@Suite struct InventoryTests {
    /// The href of the org's `down` link of this type, as a tenant finds it.
    func href(_ client: TestClient, org: String, _ type: String) throws -> String {
        try #require(try client.send("GET", "/api/org/\(org)").xml().link(rel: "down", type: type)?["href"])
    }

    /// The href of a reference inside an AdminOrg section (`Catalogs`, `Networks`, `Vdcs`).
    func adminHref(_ client: TestClient, org: String, _ section: String) throws -> String {
        try #require(try client.send("GET", "/api/admin/org/\(org)").xml().child(section)?.children.first?["href"])
    }

    // MARK: User view

    @Test func vdcIsReadThroughTheOrgsLink() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let href = try href(alice, org: "26", MediaType.vdc)
        let vdc = try expectDocument(alice.send("GET", href), 200, MediaType.vdc)
        #expect(vdc.name == "Vdc")
        #expect(vdc["name"] == "acme-vdc")
        #expect(vdc["href"] == href)
        #expect(vdc["type"] == MediaType.vdc)
        #expect(vdc["id"] == "urn:vcloud:vdc:\(lastSegment(href))")
    }

    @Test func catalogIsReadThroughTheOrgsLink() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let href = try href(alice, org: "26", MediaType.catalog)
        let catalog = try expectDocument(alice.send("GET", href), 200, MediaType.catalog)
        #expect(catalog.name == "Catalog")
        #expect(catalog["name"] == "acme-catalog")
        #expect(catalog["id"] == "urn:vcloud:catalog:\(lastSegment(href))")
    }

    @Test func orgNetworkIsReadThroughTheOrgsLink() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let href = try href(alice, org: "26", MediaType.orgNetwork)
        let network = try expectDocument(alice.send("GET", href), 200, MediaType.orgNetwork)
        #expect(network.name == "OrgNetwork")
        #expect(network["name"] == "acme-net")
        #expect(network["id"] == "urn:vcloud:network:\(lastSegment(href))")
    }

    @Test(arguments: [MediaType.vdc, MediaType.catalog, MediaType.orgNetwork])
    func userViewLinksUpToTheOrg(type: String) throws {
        let server = try TestServer()
        let alice = try server.alice()
        let item = try alice.send("GET", href(alice, org: "26", type)).xml()
        #expect(item.link(rel: "up", type: MediaType.org)?["href"] == server.url("/api/org/26"))
        #expect(item.childSequence.first == "Link")
    }

    @Test func plainUserReadsTheirOrgsVdc() throws {
        let server = try TestServer()
        let carol = try server.carol()
        let href = try href(carol, org: server.orgID("globex"), MediaType.vdc)
        #expect(try carol.send("GET", href).status == 200)
    }

    @Test(arguments: zip(["vdc", "catalog", "network"], [MediaType.vdc, MediaType.catalog, MediaType.orgNetwork]))
    func tenantGets403ForAnotherOrgsItem(kind: String, type: String) throws {
        let server = try TestServer()
        let href = try href(server.alice(), org: "26", type)
        try expectNoAccess(server.bob().send("GET", href), kind, lastSegment(href))
    }

    @Test func unknownVdcIdGives403() throws {
        let server = try TestServer()
        try expectNoAccess(server.sysadmin().send("GET", "/api/vdc/no-such-vdc"), "vdc", "no-such-vdc")
    }

    // MARK: Admin view

    @Test func adminCatalogIsReadThroughTheAdminOrg() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let href = try adminHref(alice, org: "26", "Catalogs")
        #expect(href.hasPrefix(server.url("/api/admin/catalog/")))
        let catalog = try expectDocument(alice.send("GET", href), 200, MediaType.adminCatalog)
        #expect(catalog.name == "AdminCatalog")
        #expect(catalog["name"] == "acme-catalog")
        #expect(catalog["type"] == MediaType.adminCatalog)
    }

    @Test func adminNetworkIsReadThroughTheAdminOrg() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let href = try adminHref(alice, org: "26", "Networks")
        #expect(href.hasPrefix(server.url("/api/admin/network/")))
        let network = try expectDocument(alice.send("GET", href), 200, MediaType.adminOrgNetwork)
        #expect(network.name == "OrgNetwork")
        #expect(network["name"] == "acme-net")
        #expect(network["type"] == MediaType.adminOrgNetwork)
    }

    @Test func adminViewLinksUpToTheAdminOrgAndToTheUserView() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let catalog = try alice.send("GET", adminHref(alice, org: "26", "Catalogs")).xml()
        #expect(catalog.link(rel: "up", type: MediaType.adminOrg)?["href"] == server.url("/api/admin/org/26"))
        let userView = try href(alice, org: "26", MediaType.catalog)
        #expect(catalog.link(rel: "alternate", type: MediaType.catalog)?["href"] == userView)
    }

    @Test func adminVdcReferenceIsTheUserViewVdc() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try adminHref(alice, org: "26", "Vdcs") == href(alice, org: "26", MediaType.vdc))
    }

    @Test func sysadminReadsAnyOrgsAdminCatalog() throws {
        let server = try TestServer()
        let href = try adminHref(server.alice(), org: "26", "Catalogs")
        #expect(try server.sysadmin().send("GET", href).status == 200)
    }

    @Test func plainUserGets403ForTheAdminViewOfTheirOwnCatalog() throws {
        let server = try TestServer()
        let href = try adminHref(server.bob(), org: server.orgID("globex"), "Catalogs")
        try expectNoAccess(server.carol().send("GET", href), "catalog", lastSegment(href))
    }

    @Test func tenantGets403ForAnotherOrgsAdminNetwork() throws {
        let server = try TestServer()
        let href = try adminHref(server.alice(), org: "26", "Networks")
        try expectNoAccess(server.bob().send("GET", href), "network", lastSegment(href))
    }
}
