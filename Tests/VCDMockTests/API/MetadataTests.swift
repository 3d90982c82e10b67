import Testing
import VCDCore
import VCDXML

/// Metadata of orgs, vdcs, catalogs, users and tasks (§8): typed values, domains, and writes answered with
/// an already finished `metadataUpdate` task.
@Suite struct MetadataTests {
    static let entry = [(key: "env", value: "prod", type: "MetadataStringValue", domain: String?.none)]

    func post(_ c: TestClient, _ href: String, _ xml: String) throws -> TestClient.Response {
        try c.send("POST", href, xml: xml, contentType: MediaType.metadata)
    }

    @Test func writesAnswer202WithAFinishedTaskOnTheOrgsTasksList() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let r = try post(alice, "/api/org/26/metadata", metadataXML(Self.entry))
        let task = try expectDocument(r, 202, MediaType.task)
        #expect(task["operationName"] == "metadataUpdate")
        #expect(task["status"] == "success")
        #expect(task["endTime"] != nil)
        #expect(task.child("Owner")?["href"] == server.url("/api/org/26"))
        let id = lastSegment(task["href"])
        #expect(r.header("Location") == server.url("/api/task/\(id)"))
        let list = try alice.send("GET", "/api/tasksList/26").xml()
        #expect(list.children("Task").contains { $0["href"] == server.url("/api/task/\(id)") })
        let events = try server.recordedEvents().filter { $0.entity == "urn:vcloud:task:\(id)" }.map(\.type)
        #expect(events == [EventType.taskCreate, EventType.taskComplete])
    }

    @Test func postMergesPutSetsGetReadsDeleteRemoves() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try post(alice, "/api/admin/org/26/metadata", metadataXML([
            ("env", "prod", "MetadataStringValue", nil), ("size", "42", "MetadataNumberValue", "GENERAL"),
        ])).status == 202)
        let all = try expectDocument(alice.send("GET", "/api/org/26/metadata"), 200, MediaType.metadata)
        #expect(all.children("MetadataEntry").compactMap { $0.child("Key")?.text } == ["costCenter", "env", "size"])
        #expect(all.link(rel: "add", type: MediaType.metadata)?["href"] == server.url("/api/org/26/metadata"))
        let value = try expectDocument(alice.send("GET", "/api/org/26/metadata/GENERAL/size"), 200, MediaType.metadataValue)
        #expect(value.child("TypedValue")?["type"] == "MetadataNumberValue")
        #expect(value.child("TypedValue")?.child("Value")?.text == "42")
        #expect(value.child("Domain")?.text == "GENERAL")
        #expect(value.link(rel: "remove", type: nil)?["href"] == server.url("/api/org/26/metadata/GENERAL/size"))
        // PUT without a domain in the path means GENERAL; the same key is replaced, not added.
        let put = try alice.send("PUT", "/api/org/26/metadata/size", xml: metadataValueXML("43", type: "MetadataNumberValue"),
                                 contentType: MediaType.metadataValue)
        #expect(put.status == 202)
        #expect(try alice.send("GET", "/api/org/26/metadata/size").xml().child("TypedValue")?.child("Value")?.text == "43")
        #expect(try alice.send("GET", "/api/admin/org/26/metadata").xml().children("MetadataEntry").count == 3)
        #expect(try alice.send("DELETE", "/api/org/26/metadata/GENERAL/size").status == 202)
        try expectVCDError(alice.send("GET", "/api/org/26/metadata/size"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(alice.send("DELETE", "/api/org/26/metadata/size"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    @Test func everyKindOfObjectCarriesMetadata() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let acme = try #require(server.app.store.allOrgs.first { $0.id == "26" })
        let task = lastSegment(try admin.postTask(taskXML()).xml()["href"])
        let hrefs = ["/api/vdc/\(acme.vdcs[0].id)", "/api/catalog/\(acme.catalogs[0].id)", "/api/admin/catalog/\(acme.catalogs[0].id)",
                     "/api/admin/user/\(acme.users[0].id)", "/api/task/\(task)"]
        for href in hrefs {
            let owner = try admin.send("GET", href).xml()
            #expect(owner.link(rel: "down", type: MediaType.metadata)?["href"] == server.url(href + "/metadata") || href.contains("/task/"),
                    "\(href) links to its metadata")
            #expect(try post(admin, href + "/metadata", metadataXML(Self.entry)).status == 202, "\(href)")
            let m = try expectDocument(admin.send("GET", href + "/metadata"), 200, MediaType.metadata)
            #expect(m.children("MetadataEntry").compactMap { $0.child("Key")?.text } == ["env"], "\(href)")
            #expect(m.children("Link").first { $0["rel"] == "up" }?["href"] == server.url(href), "\(href)")
        }
    }

    @Test(arguments: [
        ("x", "MetadataNumberValue"), ("1.5", "MetadataNumberValue"), ("yes", "MetadataBooleanValue"),
        ("2024-13-01T00:00:00Z", "MetadataDateTimeValue"), ("today", "MetadataDateTimeValue"), ("v", "MetadataFooValue"),
    ])
    func badlyTypedValuesAre400(value: String, type: String) throws {
        let server = try TestServer()
        let r = try post(try server.alice(), "/api/org/26/metadata", metadataXML([("k", value, type, nil)]))
        try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(try server.alice().send("GET", "/api/org/26/metadata").xml().children("MetadataEntry").count == 1, "nothing written")
    }

    @Test func wellTypedValuesAreKept() throws {
        let server = try TestServer()
        let alice = try server.alice()
        #expect(try post(alice, "/api/org/26/metadata", metadataXML([
            ("n", "-7", "MetadataNumberValue", nil), ("b", "true", "MetadataBooleanValue", nil),
            ("d", "2024-05-01T10:00:00.000Z", "MetadataDateTimeValue", nil),
        ])).status == 202)
        let types = try alice.send("GET", "/api/org/26/metadata").xml().children("MetadataEntry").compactMap { $0.child("TypedValue")?["type"] }
        #expect(types == ["MetadataStringValue", "MetadataNumberValue", "MetadataBooleanValue", "MetadataDateTimeValue"])
    }

    @Test func invalidDomainVisibilityPairsAre400() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        for (domain, visibility) in [("GENERAL", "READONLY"), ("GENERAL", "PRIVATE"), ("SYSTEM", "READWRITE"), ("OTHER", "READWRITE")] {
            let r = try admin.send("PUT", "/api/org/26/metadata/\(domain)/k", xml: metadataValueXML("v", domain: domain, visibility: visibility),
                                   contentType: MediaType.metadataValue)
            try expectVCDError(r, 400, "BAD_REQUEST")
        }
    }

    @Test func systemDomainIsHiddenOrReadOnlyForTenants() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        for (key, visibility) in [("secret", "PRIVATE"), ("tier", "READONLY")] {
            let r = try admin.send("PUT", "/api/org/26/metadata/SYSTEM/\(key)", xml: metadataValueXML("v", domain: "SYSTEM", visibility: visibility),
                                   contentType: MediaType.metadataValue)
            #expect(r.status == 202, "\(r.text)")
        }
        #expect(try admin.send("GET", "/api/org/26/metadata").xml().children("MetadataEntry").count == 3)
        let alice = try server.alice()
        let seen = try alice.send("GET", "/api/org/26/metadata").xml().children("MetadataEntry")
        #expect(seen.compactMap { $0.child("Key")?.text } == ["costCenter", "tier"])
        #expect(seen.last?.link(rel: "edit", type: MediaType.metadataValue) == nil, "read-only for tenants")
        let tier = try alice.send("GET", "/api/org/26/metadata/SYSTEM/tier").xml()
        #expect(tier.link(rel: "remove", type: nil) == nil)
        try expectVCDError(alice.send("GET", "/api/org/26/metadata/SYSTEM/secret"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(alice.send("DELETE", "/api/org/26/metadata/SYSTEM/tier"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(alice.send("PUT", "/api/org/26/metadata/SYSTEM/tier", xml: metadataValueXML("x", domain: "SYSTEM", visibility: "READONLY"),
                                      contentType: MediaType.metadataValue), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(post(alice, "/api/org/26/metadata", metadataXML([("x", "y", "MetadataStringValue", "SYSTEM")])), 403,
                           "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    @Test func plainUsersReadButDoNotWriteAndOtherOrgsSeeNothing() throws {
        let server = try TestServer()
        let globex = try server.orgID("globex")
        let carol = try server.carol()
        let m = try expectDocument(carol.send("GET", "/api/org/\(globex)/metadata"), 200, MediaType.metadata)
        #expect(m.link(rel: "add", type: MediaType.metadata) == nil)
        try expectVCDError(post(carol, "/api/org/\(globex)/metadata", metadataXML(Self.entry)), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectNoAccess(carol.send("GET", "/api/org/26/metadata"), "org", "26")
        try expectNoAccess(post(carol, "/api/org/26/metadata", metadataXML(Self.entry)), "org", "26")
        try expectNoAccess(server.bob().send("GET", "/api/org/26/metadata/costCenter"), "org", "26")
        // The admin views are for administrators, like the admin org and catalog themselves.
        try expectNoAccess(carol.send("GET", "/api/admin/org/\(globex)/metadata"), "org", globex)
        try expectNoAccess(carol.send("GET", "/api/admin/org/\(globex)/metadata/GENERAL/x"), "org", globex)
        let catalog = try #require(server.app.store.allOrgs.first { $0.id == globex }?.catalogs.first?.id)
        try expectNoAccess(carol.send("GET", "/api/admin/catalog/\(catalog)/metadata"), "catalog", catalog)
        #expect(try carol.send("GET", "/api/catalog/\(catalog)/metadata").status == 200)
    }

    @Test func bodiesWithoutEntriesOrTypedValuesAre400() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let empty = #"<Metadata xmlns="http://www.vmware.com/vcloud/v1.5"/>"#
        try expectVCDError(post(alice, "/api/org/26/metadata", empty), 400, "BAD_REQUEST")
        let untyped = #"<Metadata xmlns="http://www.vmware.com/vcloud/v1.5"><MetadataEntry><Key>k</Key><Value>v</Value></MetadataEntry></Metadata>"#
        try expectVCDError(post(alice, "/api/org/26/metadata", untyped), 400, "BAD_REQUEST")
        try expectVCDError(alice.send("PUT", "/api/org/26/metadata/k", xml: metadataValueXML("v"), contentType: MediaType.metadata), 415,
                           "UNSUPPORTED_MEDIA_TYPE")
    }
}
