import Testing
import VCDCore
import VCDXML

/// `GET /api/entity/{urn}` (§3.5) for every kind of URN the mock hands out, scoped like the object.
@Suite struct EntityResolverTests {
    func resolve(_ c: TestClient, _ urn: String) throws -> TestClient.Response { try c.send("GET", "/api/entity/\(urn)") }

    @Test func everySessionLinksToTheResolver() throws {
        let server = try TestServer()
        for c in [try server.sysadmin(), try server.alice(), try server.carol()] {
            let session = try c.send("GET", "/api/session").xml()
            #expect(session.link(rel: "entityResolver", type: MediaType.entity)?["href"] == server.url("/api/entity/"))
        }
    }

    @Test func resolvesEveryKindToItsAlternateLink() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let acme = try #require(server.app.store.allOrgs.first { $0.id == "26" })
        let task = try admin.postTask(taskXML()).xml()
        let cases: [(urn: String, type: String, path: String, name: String)] = [
            ("urn:vcloud:org:26", MediaType.org, "/api/org/26", "acme"),
            ("urn:vcloud:vdc:\(acme.vdcs[0].id)", MediaType.vdc, "/api/vdc/\(acme.vdcs[0].id)", "acme-vdc"),
            ("urn:vcloud:catalog:\(acme.catalogs[0].id)", MediaType.catalog, "/api/catalog/\(acme.catalogs[0].id)", "acme-catalog"),
            ("urn:vcloud:network:\(acme.networks[0].id)", MediaType.orgNetwork, "/api/network/\(acme.networks[0].id)", "acme-net"),
            ("urn:vcloud:user:\(acme.users[0].id)", MediaType.user, "/api/admin/user/\(acme.users[0].id)", "alice"),
            (try #require(task["id"]), MediaType.task, "/api/task/\(lastSegment(task["href"]))", "task"),
            ("urn:vcloud:role:\(Role.vappAuthor.id)", MediaType.role, "/api/admin/role/\(Role.vappAuthor.id)", "vApp Author"),
        ]
        for c in cases {
            let entity = try expectDocument(resolve(admin, c.urn), 200, MediaType.entity)
            #expect(entity["id"] == c.urn)
            #expect(entity["name"] == c.name)
            #expect(entity["href"] == server.url("/api/entity/\(c.urn)"))
            let alternate = try #require(entity.link(rel: "alternate", type: c.type), "\(c.urn)")
            #expect(alternate["href"] == server.url(c.path))
            #expect(try admin.send("GET", try #require(alternate["href"])).status == 200, "the alternate link works: \(c.urn)")
        }
    }

    @Test func resolvesVAppsVMsTemplatesAndCatalogItems() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let orgs = server.app.store.allOrgs
        let item = try #require(orgs.first { $0.id == "26" }?.catalogItems.first)
        let vapp = try #require(orgs.first { $0.name == "globex" }?.vapps.first)
        let cases: [(urn: String, type: String, path: String, name: String)] = [
            ("urn:vcloud:catalogitem:\(item.id)", MediaType.catalogItem, "/api/catalogItem/\(item.id)", item.name),
            ("urn:vcloud:vapptemplate:\(item.templateID)", MediaType.vAppTemplate,
             "/api/vAppTemplate/vappTemplate-\(item.templateID)", item.name),
            ("urn:vcloud:vm:\(item.vms[0].id)", MediaType.vm, "/api/vAppTemplate/vm-\(item.vms[0].id)", item.vms[0].name),
            ("urn:vcloud:vapp:\(vapp.id)", MediaType.vApp, "/api/vApp/vapp-\(vapp.id)", vapp.name),
            ("urn:vcloud:vm:\(vapp.vms[0].id)", MediaType.vm, "/api/vApp/vm-\(vapp.vms[0].id)", vapp.vms[0].name),
        ]
        for c in cases {
            let entity = try expectDocument(resolve(admin, c.urn), 200, MediaType.entity)
            #expect(entity["name"] == c.name, "\(c.urn)")
            let alternate = try #require(entity.link(rel: "alternate", type: c.type), "\(c.urn)")
            #expect(alternate["href"] == server.url(c.path))
            #expect(try admin.send("GET", try #require(alternate["href"])).status == 200, "the alternate link works: \(c.urn)")
        }
        // Scoped like the objects: acme's alice reaches acme's template, not globex's vApp or its VM.
        let alice = try server.alice()
        #expect(try resolve(alice, "urn:vcloud:vapptemplate:\(item.templateID)").status == 200)
        try expectNoAccess(resolve(alice, "urn:vcloud:vapp:\(vapp.id)"), "vapp", vapp.id)
        try expectNoAccess(resolve(alice, "urn:vcloud:vm:\(vapp.vms[0].id)"), "vm", vapp.vms[0].id)
    }

    @Test func resolvesExtensionServicesForTheSysadmin() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let body = """
            <vmext:Service xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:vmext="http://www.vmware.com/vcloud/extension/v1.5" name="svc">\
            <vmext:Namespace>org.example.resolve</vmext:Namespace><vmext:Enabled>true</vmext:Enabled>\
            <vmext:RoutingKey>k</vmext:RoutingKey><vmext:Exchange>e</vmext:Exchange></vmext:Service>
            """
        let service = try admin.send("POST", "/api/admin/extension/service", xml: body, contentType: MediaType.service).xml()
        let urn = try #require(service["id"])
        let entity = try expectDocument(resolve(admin, urn), 200, MediaType.entity)
        #expect(entity.link(rel: "alternate", type: MediaType.service)?["href"] == service["href"])
        try expectVCDError(resolve(server.alice(), urn), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    @Test func scopedLikeTheObject() throws {
        let server = try TestServer()
        let globex = try server.orgID("globex")
        let alice = try server.alice()
        #expect(try resolve(alice, "urn:vcloud:org:26").status == 200)
        try expectNoAccess(resolve(alice, "urn:vcloud:org:\(globex)"), "org", globex)
        let bobID = try server.bob().userID()
        try expectNoAccess(resolve(alice, "urn:vcloud:user:\(bobID)"), "user", bobID)
        #expect(try resolve(server.carol(), "urn:vcloud:user:\(bobID)").status == 200, "a member of the same org")
        try expectNoAccess(resolve(alice, "urn:vcloud:task:nope"), "task", "nope")
        try expectNoAccess(resolve(alice, "urn:vcloud:vdc:nope"), "vdc", "nope")
        try expectVCDError(resolve(alice, "urn:vcloud:gizmo:1"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(resolve(alice, "not-a-urn"), 400, "BAD_REQUEST")
        try expectVCDError(server.client().send("GET", "/api/entity/urn:vcloud:org:26"), 401, "UNAUTHORIZED")
    }
}
