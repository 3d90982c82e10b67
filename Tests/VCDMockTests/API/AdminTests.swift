import Testing
import VCDXML

/// The admin views: `GET /api/admin` (§3.3), `GET /api/admin/org/{id}` (§3.4), admin metadata (§8),
/// users, and the extension and query roots.
@Suite struct AdminTests {
    // MARK: GET /api/admin

    @Test func vcloudIsTheSysadminsEntryPoint() throws {
        let server = try TestServer()
        let vcloud = try expectDocument(server.sysadmin().send("GET", "/api/admin"), 200, MediaType.vcloud)
        #expect(vcloud.name == "VCloud")
        #expect(vcloud["href"] == server.url("/api/admin/"))
        #expect(vcloud["type"] == MediaType.vcloud)
        #expect(vcloud["name"] != nil)
    }

    @Test func vcloudChildrenAreInSchemaOrder() throws {
        let server = try TestServer()
        let vcloud = try server.sysadmin().send("GET", "/api/admin").xml()
        #expect(vcloud.childSequence == ["Link", "Description", "OrganizationReferences", "ProviderVdcReferences",
                                         "RightReferences", "RoleReferences", "Networks"])
    }

    @Test func vcloudReferencesEveryOrgsAdminView() throws {
        let server = try TestServer()
        let vcloud = try server.sysadmin().send("GET", "/api/admin").xml()
        let refs = try #require(vcloud.child("OrganizationReferences")).children("OrganizationReference")
        #expect(refs.map { $0["name"] } == ["System", "acme", "globex"])
        for ref in refs {
            #expect(ref["type"] == MediaType.adminOrg)
            #expect(ref["href"]?.hasPrefix(server.url("/api/admin/org/")) == true)
        }
        #expect(refs.first { $0["name"] == "acme" }?["href"] == server.url("/api/admin/org/26"))
    }

    @Test func vcloudLinksDownToTheSystemOrg() throws {
        let server = try TestServer()
        let vcloud = try server.sysadmin().send("GET", "/api/admin").xml()
        let system = try #require(vcloud.link(rel: "down", type: MediaType.systemOrg))
        #expect(system["name"] == "System")
        #expect(system["href"] == server.url("/api/admin/org/\(try server.orgID("System"))"))
    }

    /// Org administrators see a VCloud with their own org only: no System link, no `add` org link, tenant roles.
    @Test func orgAdministratorGetsAVCloudWithTheirOwnOrg() throws {
        let server = try TestServer()
        let vcloud = try expectDocument(server.alice().send("GET", "/api/admin"), 200, MediaType.vcloud)
        let refs = try #require(vcloud.child("OrganizationReferences")).children("OrganizationReference")
        #expect(refs.map { $0["href"] } == [server.url("/api/admin/org/26")])
        #expect(vcloud.link(rel: "down", type: MediaType.systemOrg) == nil)
        #expect(vcloud.link(rel: "add", type: MediaType.adminOrg) == nil)
        let roles = try #require(vcloud.child("RoleReferences")).children("RoleReference").compactMap { $0["name"] }
        #expect(roles == ["Organization Administrator", "vApp Author", "vApp User", "Console Access Only"])
    }

    @Test func plainUserGets403ForVCloud() throws {
        let server = try TestServer()
        try expectVCDError(server.carol().send("GET", "/api/admin"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    // MARK: GET /api/admin/org/{id}

    @Test func adminOrgIsTheAdminViewWithURNId() throws {
        let server = try TestServer()
        let org = try expectDocument(server.sysadmin().send("GET", "/api/admin/org/26"), 200, MediaType.adminOrg)
        #expect(org.name == "AdminOrg")
        #expect(org["id"] == "urn:vcloud:org:26")
        #expect(org["name"] == "acme")
        #expect(org["type"] == MediaType.adminOrg)
        #expect(org["href"] == server.url("/api/admin/org/26"))
    }

    @Test func adminOrgChildrenAreInSchemaOrder() throws {
        let server = try TestServer()
        let org = try server.sysadmin().send("GET", "/api/admin/org/26").xml()
        #expect(org.childSequence == ["Link", "Description", "FullName", "IsEnabled", "Settings", "Users", "Groups",
                                      "Catalogs", "Vdcs", "Networks"])
        #expect(org.child("FullName")?.text == "Acme Corporation")
        #expect(org.child("IsEnabled")?.text == "true")
    }

    @Test(arguments: ["sysadmin", "alice"])
    func adminOrgHasTaskCreateAndEventCreateLinks(caller: String) throws {
        let server = try TestServer()
        let client = caller == "sysadmin" ? try server.sysadmin() : try server.alice()
        let org = try client.send("GET", "/api/admin/org/26").xml()
        #expect(org.link(rel: "task:create", type: MediaType.task)?["href"] == server.url("/api/tasksList/26"))
        #expect(org.link(rel: "event:create", type: MediaType.event)?["href"] == server.url("/api/admin/org/26/events"))
    }

    @Test func adminOrgLinksToTasksListMetadataAndUserView() throws {
        let server = try TestServer()
        let org = try server.sysadmin().send("GET", "/api/admin/org/26").xml()
        #expect(org.link(rel: "down", type: MediaType.tasksList)?["href"] == server.url("/api/tasksList/26"))
        #expect(org.link(rel: "down", type: MediaType.metadata)?["href"] == server.url("/api/admin/org/26/metadata"))
        #expect(org.link(rel: "alternate", type: MediaType.org)?["href"] == server.url("/api/org/26"))
    }

    @Test func adminOrgHasAtMostOneLinkPerRelAndType() throws {
        let server = try TestServer()
        let links = try server.sysadmin().send("GET", "/api/admin/org/26").xml().children("Link")
        let pairs = links.map { "\($0["rel"] ?? "") \($0["type"] ?? "-")" }
        #expect(Set(pairs).count == pairs.count, "duplicates in \(pairs)")
    }

    @Test func adminOrgListsUsersCatalogsVdcsAndNetworks() throws {
        let server = try TestServer()
        let org = try server.sysadmin().send("GET", "/api/admin/org/26").xml()
        let user = try #require(org.child("Users")?.child("UserReference"))
        #expect(user["name"] == "alice")
        #expect(user["type"] == MediaType.user)
        #expect(user["href"]?.hasPrefix(server.url("/api/admin/user/")) == true)
        let catalog = try #require(org.child("Catalogs")?.child("CatalogReference"))
        #expect(catalog["name"] == "acme-catalog")
        #expect(catalog["type"] == MediaType.adminCatalog)
        let vdc = try #require(org.child("Vdcs")?.child("Vdc"))
        #expect(vdc["name"] == "acme-vdc")
        #expect(vdc["type"] == MediaType.vdc)
        let network = try #require(org.child("Networks")?.child("Network"))
        #expect(network["name"] == "acme-net")
        #expect(network["type"] == MediaType.adminOrgNetwork)
    }

    @Test func adminOrgSettingsHoldGeneralSettings() throws {
        let server = try TestServer()
        let org = try server.sysadmin().send("GET", "/api/admin/org/26").xml()
        let general = try #require(org.child("Settings")?.child("OrgGeneralSettings"))
        #expect(general.childSequence == ["CanPublishCatalogs", "DeployedVMQuota", "StoredVmQuota",
                                          "UseServerBootSequence", "DelayAfterPowerOnSeconds"])
    }

    @Test func everyReferenceOfAnAdminOrgResolvesForItsAdministrator() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let org = try alice.send("GET", "/api/admin/org/26").xml()
        let refs = ["Users", "Catalogs", "Vdcs", "Networks"].flatMap { org.child($0)?.children ?? [] }
        #expect(refs.count == 4)
        for ref in refs {
            let href = try #require(ref["href"])
            let r = try alice.send("GET", href)
            #expect(r.status == 200, "GET \(href)")
            #expect(r.header("Content-Type") == versioned(ref["type"] ?? ""), "GET \(href)")
        }
    }

    @Test func orgAdministratorOfAnotherOrgGets403ForAdminOrg() throws {
        let server = try TestServer()
        try expectNoAccess(server.bob().send("GET", "/api/admin/org/26"), "org", "26")
    }

    @Test func plainUserGets403ForTheAdminViewOfTheirOwnOrg() throws {
        let server = try TestServer()
        let globex = try server.orgID("globex")
        try expectNoAccess(server.carol().send("GET", "/api/admin/org/\(globex)"), "org", globex)
    }

    @Test func sysadminReadsTheAdminViewOfOrgSystem() throws {
        let server = try TestServer()
        let system = try server.orgID("System")
        let org = try server.sysadmin().send("GET", "/api/admin/org/\(system)").xml()
        #expect(org["name"] == "System")
        #expect(org.child("Users")?.child("UserReference")?["name"] == "administrator")
    }

    // MARK: GET /api/admin/org/{id}/metadata

    @Test func adminMetadataIsTheOrgsMetadataUnderAdmin() throws {
        let server = try TestServer()
        let metadata = try expectDocument(server.alice().send("GET", "/api/admin/org/26/metadata"), 200, MediaType.metadata)
        #expect(metadata["href"] == server.url("/api/admin/org/26/metadata"))
        #expect(metadata.link(rel: "up", type: MediaType.adminOrg)?["href"] == server.url("/api/admin/org/26"))
        #expect(metadata.child("MetadataEntry")?.child("Key")?.text == "costCenter")
        #expect(metadata.child("MetadataEntry")?.child("TypedValue")?.child("Value")?.text == "4711")
    }

    @Test func tenantGets403ForAnotherOrgsAdminMetadata() throws {
        let server = try TestServer()
        try expectNoAccess(server.bob().send("GET", "/api/admin/org/26/metadata"), "org", "26")
    }

    // MARK: GET /api/admin/user/{id}

    @Test func userIsReadableByItsOrgAdministrator() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let id = try alice.userID()
        let user = try expectDocument(alice.send("GET", "/api/admin/user/\(id)"), 200, MediaType.user)
        #expect(user.name == "User")
        #expect(user["id"] == "urn:vcloud:user:\(id)")
        #expect(user["name"] == "alice")
        #expect(user["href"] == server.url("/api/admin/user/\(id)"))
        #expect(user.child("FullName")?.text == "Alice Admin")
        #expect(user.child("EmailAddress")?.text == "alice@acme.test")
    }

    @Test func userLinksUpToItsAdminOrg() throws {
        let server = try TestServer()
        let alice = try server.alice()
        let user = try alice.send("GET", "/api/admin/user/\(alice.userID())").xml()
        #expect(user.link(rel: "up", type: MediaType.adminOrg)?["href"] == server.url("/api/admin/org/26"))
        #expect(user.childSequence.first == "Link")
    }

    @Test func sysadminReadsAnyUser() throws {
        let server = try TestServer()
        let carolID = try server.carol().userID()
        let user = try server.sysadmin().send("GET", "/api/admin/user/\(carolID)")
        #expect(user.status == 200)
        #expect(try user.xml()["name"] == "carol")
    }

    @Test func orgAdministratorReadsUsersOfTheirOrg() throws {
        let server = try TestServer()
        let carolID = try server.carol().userID()
        #expect(try server.bob().send("GET", "/api/admin/user/\(carolID)").status == 200)
    }

    @Test func plainUserReadsThemselves() throws {
        let server = try TestServer()
        let carol = try server.carol()
        #expect(try carol.send("GET", "/api/admin/user/\(carol.userID())").status == 200)
    }

    /// Tasks name their users: members of the org may follow those links (read only, no edit or remove link).
    @Test func plainUserReadsAnotherUserOfHerOrgWithoutManageLinks() throws {
        let server = try TestServer()
        let bobID = try server.bob().userID()
        let user = try expectDocument(server.carol().send("GET", "/api/admin/user/\(bobID)"), 200, MediaType.user)
        #expect(user.links(rel: "edit", type: MediaType.user).isEmpty)
        #expect(user.links(rel: "remove", type: nil).isEmpty)
        #expect(user.link(rel: "up", type: MediaType.org)?["href"] == server.url("/api/org/\(try server.orgID("globex"))"))
    }

    @Test func tenantGets403ForAUserOfAnotherOrg() throws {
        let server = try TestServer()
        let aliceID = try server.alice().userID()
        try expectNoAccess(server.bob().send("GET", "/api/admin/user/\(aliceID)"), "user", aliceID)
    }

    @Test func unknownUserIdGives403() throws {
        let server = try TestServer()
        try expectNoAccess(server.sysadmin().send("GET", "/api/admin/user/no-such-user"), "user", "no-such-user")
    }

    // MARK: GET /api/admin/extension, GET /api/query

    @Test func extensionRootIsAVmextDocumentForSysadmins() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("GET", "/api/admin/extension")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == versioned(MediaType.vmwExtension))
        let root = try r.xml()
        #expect(root.name == "VMWExtension")
        #expect(root.namespace == Namespace.vmext)
        #expect(root["href"] == server.url("/api/admin/extension"))
    }

    @Test func orgAdministratorGets403ForTheExtensionRoot() throws {
        let server = try TestServer()
        try expectVCDError(server.alice().send("GET", "/api/admin/extension"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    @Test func queryListAnswersEveryLoggedInUser() throws {
        let server = try TestServer()
        for client in [try server.sysadmin(), try server.carol()] {
            let list = try expectDocument(client.send("GET", "/api/query"), 200, MediaType.queryList)
            #expect(list.name == "QueryList")
            #expect(list["href"] == server.url("/api/query"))
        }
    }
}
