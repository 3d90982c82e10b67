import Testing
import VCDCore
import VCDXML

/// Orgs at run time: `POST /api/admin/orgs`, `PUT/DELETE /api/admin/org/{id}`, enable and disable (§3.3, §3.4).
@Suite struct AdminOrgTests {
    @Test func sysadminCreatesAnOrgThatWorksLikeAFixtureOrg() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.send("POST", "/api/admin/orgs", xml: adminOrgXML("initech", fullName: "Initech Inc", description: "TPS"),
                               contentType: MediaType.adminOrg)
        let org = try expectDocument(r, 201, MediaType.adminOrg)
        let id = lastSegment(org["href"])
        #expect(r.header("Location") == server.url("/api/admin/org/\(id)"))
        #expect(org["name"] == "initech")
        #expect(org["id"] == "urn:vcloud:org:\(id)")
        #expect(org.child("FullName")?.text == "Initech Inc")
        #expect(org.child("Description")?.text == "TPS")
        #expect(org.child("IsEnabled")?.text == "true")
        // Listed, readable, with its tasks list and metadata, in the VCloud.
        #expect(try admin.send("GET", "/api/org").xml().children("Org").contains { $0["name"] == "initech" })
        #expect(try admin.send("GET", "/api/org/\(id)").status == 200)
        #expect(try admin.send("GET", "/api/tasksList/\(id)").status == 200)
        #expect(try admin.send("GET", "/api/org/\(id)/metadata").status == 200)
        #expect(try admin.postTask(taskXML(), org: id).status == 200)
        let refs = try admin.send("GET", "/api/admin").xml().child("OrganizationReferences")?.children("OrganizationReference")
        #expect(refs?.contains { $0["href"] == server.url("/api/admin/org/\(id)") } == true)
    }

    @Test func duplicateNameIs400DuplicateNameCaseInsensitively() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", "/api/admin/orgs", xml: adminOrgXML("ACME"), contentType: MediaType.adminOrg)
        try expectVCDError(r, 400, "DUPLICATE_NAME")
    }

    @Test func missingOrBadNameIs400() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let noName = #"<AdminOrg xmlns="http://www.vmware.com/vcloud/v1.5"><FullName>x</FullName><Settings/></AdminOrg>"#
        try expectVCDError(admin.send("POST", "/api/admin/orgs", xml: noName, contentType: MediaType.adminOrg), 400, "BAD_REQUEST")
        try expectVCDError(admin.send("POST", "/api/admin/orgs", xml: adminOrgXML("a/b"), contentType: MediaType.adminOrg), 400, "BAD_REQUEST")
        let badBool = adminOrgXML("x").replacingOccurrences(of: "<IsEnabled>true", with: "<IsEnabled>maybe")
        try expectVCDError(admin.send("POST", "/api/admin/orgs", xml: badBool, contentType: MediaType.adminOrg), 400, "BAD_REQUEST")
        try expectVCDError(admin.send("POST", "/api/admin/orgs", xml: taskXML(), contentType: MediaType.adminOrg), 400, "BAD_REQUEST")
    }

    @Test(arguments: ["alice", "carol"])
    func tenantsMayNotCreateEditOrDeleteOrgs(user: String) throws {
        let server = try TestServer()
        let c = try server.login(user, user == "alice" ? "acme" : "globex", user)
        try expectVCDError(c.send("POST", "/api/admin/orgs", xml: adminOrgXML("x"), contentType: MediaType.adminOrg), 403,
                           "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectNoAccess(c.send("PUT", "/api/admin/org/26", xml: adminOrgXML("acme"), contentType: MediaType.adminOrg), "org", "26")
        try expectNoAccess(c.send("POST", "/api/admin/org/26/action/disable"), "org", "26")
        try expectNoAccess(c.send("DELETE", "/api/admin/org/26"), "org", "26")
    }

    @Test func putEditsFullNameDescriptionAndEnabledButNotTheName() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.send("PUT", "/api/admin/org/26", xml: adminOrgXML("acme", fullName: "Acme 2", enabled: false, description: "new"),
                               contentType: MediaType.adminOrg)
        let org = try expectDocument(r, 200, MediaType.adminOrg)
        #expect(org.child("FullName")?.text == "Acme 2")
        #expect(org.child("Description")?.text == "new")
        #expect(org.child("IsEnabled")?.text == "false")
        #expect(try admin.send("GET", "/api/org/26").xml().child("FullName")?.text == "Acme 2", "the cached Org document follows")
        try expectVCDError(admin.send("PUT", "/api/admin/org/26", xml: adminOrgXML("renamed"), contentType: MediaType.adminOrg), 400, "BAD_REQUEST")
    }

    @Test func disabledOrgRefusesLoginsAndEnablingLetsThemIn() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        #expect(try admin.send("POST", "/api/admin/org/26/action/disable").status == 204)
        let refused = try server.client().send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("alice@acme:alice")])
        try expectVCDError(refused, 401, "UNAUTHORIZED")
        #expect(try admin.send("GET", "/api/admin/org/26").xml().child("IsEnabled")?.text == "false")
        #expect(try admin.send("POST", "/api/admin/org/26/action/enable").status == 204)
        _ = try server.alice()
    }

    @Test func systemOrgCannotBeDisabledOrDeleted() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let system = try server.orgID("System")
        try expectVCDError(admin.send("POST", "/api/admin/org/\(system)/action/disable"), 400, "BAD_REQUEST")
        try expectVCDError(admin.send("DELETE", "/api/admin/org/\(system)?force=true&recursive=true"), 400, "BAD_REQUEST")
    }

    @Test func deleteIsRefusedWhileEnabledOrHoldingObjects() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let fresh = try admin.createOrg("fresh")
        try expectVCDError(admin.send("DELETE", "/api/admin/org/\(fresh)"), 400, "BAD_REQUEST")
        #expect(try admin.send("POST", "/api/admin/org/\(fresh)/action/disable").status == 204)
        // pyvcloud's delete_org sends force=None&recursive=None.
        #expect(try admin.send("DELETE", "/api/admin/org/\(fresh)?force=None&recursive=None").status == 204)
        try expectNoAccess(admin.send("GET", "/api/admin/org/\(fresh)"), "org", fresh)
        // acme holds a vdc, a catalog and a network.
        #expect(try admin.send("POST", "/api/admin/org/26/action/disable").status == 204)
        let held = try admin.send("DELETE", "/api/admin/org/26?force=False&recursive=False")
        try expectVCDError(held, 400, "BAD_REQUEST")
        #expect(try held.xml()["message"]?.contains("force=true&recursive=true") == true)
    }

    @Test func forceRecursiveDeleteRemovesTheOrgWithEverythingInItAndEndsItsSessions() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let alice = try server.alice()
        #expect(try admin.postTask(taskXML()).status == 200)
        #expect(try admin.send("DELETE", "/api/admin/org/26?force=true&recursive=true").status == 204)
        try expectVCDError(alice.send("GET", "/api/session"), 401, "UNAUTHORIZED")
        #expect(!(try admin.send("GET", "/api/org").xml().children("Org").contains { $0["name"] == "acme" }))
        #expect(server.app.store.counts()["orgs"] == 2)
        let vdcs = try #require(server.app.store.baseline.orgs.first { $0.id == "26" }).vdcs
        try expectNoAccess(admin.send("GET", "/api/vdc/\(vdcs[0].id)"), "vdc", vdcs[0].id)
    }

    @Test func linksAppearExactlyWhenTheCallerMayUseThem() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let vcloud = try admin.send("GET", "/api/admin").xml()
        #expect(vcloud.link(rel: "add", type: MediaType.adminOrg)?["href"] == server.url("/api/admin/orgs"))
        let asSysadmin = try admin.send("GET", "/api/admin/org/26").xml()
        #expect(asSysadmin.link(rel: "edit", type: MediaType.adminOrg)?["href"] == server.url("/api/admin/org/26"))
        #expect(asSysadmin.link(rel: "remove", type: nil)?["href"] == server.url("/api/admin/org/26"))
        #expect(asSysadmin.link(rel: "disable", type: nil)?["href"] == server.url("/api/admin/org/26/action/disable"))
        #expect(asSysadmin.link(rel: "enable", type: nil) == nil, "already enabled")
        #expect(asSysadmin.link(rel: "add", type: MediaType.user)?["href"] == server.url("/api/admin/org/26/users"))
        let system = try admin.send("GET", "/api/admin/org/\(try server.orgID("System"))").xml()
        #expect(system.link(rel: "remove", type: nil) == nil && system.link(rel: "disable", type: nil) == nil)
        // The org administrator adds users but does not edit, disable or remove the org.
        let asOrgAdmin = try server.alice().send("GET", "/api/admin/org/26").xml()
        #expect(asOrgAdmin.link(rel: "add", type: MediaType.user) != nil)
        for rel in ["edit", "remove", "disable", "enable"] {
            #expect(asOrgAdmin.children("Link").filter { $0["rel"] == rel }.isEmpty, "\(rel)")
        }
        #expect(try admin.send("POST", "/api/admin/org/26/action/disable").status == 204)
        let disabled = try admin.send("GET", "/api/admin/org/26").xml()
        #expect(disabled.link(rel: "enable", type: nil)?["href"] == server.url("/api/admin/org/26/action/enable"))
    }

    @Test func everyOrgChangeIsAnEvent() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let id = try admin.createOrg("evented")
        #expect(try admin.send("PUT", "/api/admin/org/\(id)", xml: adminOrgXML("evented", fullName: "E"), contentType: MediaType.adminOrg).status == 200)
        #expect(try admin.send("POST", "/api/admin/org/\(id)/action/disable").status == 204)
        #expect(try admin.send("DELETE", "/api/admin/org/\(id)").status == 204)
        // Recorded in System, the acting administrator's org, so they outlive the deleted org.
        let events = try server.recordedEvents().filter { $0.entity == "urn:vcloud:org:\(id)" }
        #expect(events.map(\.type) == [EventType.orgCreate, EventType.orgModify, EventType.orgModify, EventType.orgDelete])
        #expect(events.allSatisfy { $0.orgName == "System" })
    }
}
