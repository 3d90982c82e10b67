import Testing
import VCDCore
import VCDXML
@testable import VCDMock

/// The `vm`, `vAppTemplate` and `catalogItem` query types and their admin forms (vapps reference §7): the three
/// formats, org scoping, a filter and a sort on each, and VM records that follow their vApp's state. Fixtures:
/// acme holds templates centos7 (VM centos7-vm) and web-stack (VMs web, db); globex runs vApp billing (billing-vm).
@Suite struct VAppQueryTypesTests {
    let server: TestServer
    let admin: TestClient

    init() throws {
        server = try TestServer(clock: ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z")))
        admin = try server.sysadmin()
    }

    var acme: Org { server.app.store.allOrgs.first { $0.name == "acme" }! }
    var globex: Org { server.app.store.allOrgs.first { $0.name == "globex" }! }

    func query(_ q: String, _ c: TestClient? = nil) throws -> ParsedElement {
        let r = try (c ?? admin).send("GET", "/api/query?" + q)
        try #require(r.status == 200, "\(q): \(r.status) \(r.text)")
        return try r.xml()
    }

    func rows(_ root: ParsedElement) -> [ParsedElement] { root.children.filter { $0.name != "Link" } }

    func names(_ q: String, _ c: TestClient? = nil) throws -> [String] { try rows(query(q, c)).compactMap { $0["name"] } }

    static let shapes: [(type: String, record: String, reference: String, entity: String, hrefPart: String, urn: String)] = [
        ("vm", "VMRecord", "VM", MediaType.vm, "/api/v", "urn:vcloud:vm:"),
        ("adminVM", "AdminVMRecord", "AdminVM", MediaType.vm, "/api/v", "urn:vcloud:vm:"),
        ("vAppTemplate", "VAppTemplateRecord", "VAppTemplate", MediaType.vAppTemplate, "/api/vAppTemplate/vappTemplate-",
         "urn:vcloud:vapptemplate:"),
        ("adminVAppTemplate", "AdminVAppTemplateRecord", "AdminVAppTemplate", MediaType.vAppTemplate,
         "/api/vAppTemplate/vappTemplate-", "urn:vcloud:vapptemplate:"),
        ("catalogItem", "CatalogItemRecord", "CatalogItem", MediaType.catalogItem, "/api/catalogItem/", "urn:vcloud:catalogitem:"),
        ("adminCatalogItem", "AdminCatalogItemRecord", "AdminCatalogItem", MediaType.catalogItem, "/api/catalogItem/",
         "urn:vcloud:catalogitem:"),
    ]

    @Test(arguments: shapes)
    func everyFormat(shape: (type: String, record: String, reference: String, entity: String, hrefPart: String, urn: String)) throws {
        let records = try expectDocument(admin.send("GET", "/api/query?type=\(shape.type)&format=records"), 200, MediaType.queryRecords)
        #expect(records.name == "QueryResultRecords" && records["name"] == shape.type)
        let recs = rows(records)
        #expect(!recs.isEmpty && recs.allSatisfy { $0.name == shape.record })
        #expect(recs.allSatisfy { $0["href"]?.hasPrefix(server.url(shape.hrefPart)) == true && $0["id"] == nil })
        #expect(recs.allSatisfy { $0["vdc"]?.hasPrefix(server.url("/api/vdc/")) == true }, "references are hrefs in records")

        let ids = try expectDocument(admin.send("GET", "/api/query?type=\(shape.type)&format=idrecords"), 200, MediaType.queryIDRecords)
        let idRecs = rows(ids)
        #expect(idRecs.count == recs.count && idRecs.allSatisfy { $0.name == shape.record })
        #expect(idRecs.allSatisfy { $0["id"]?.hasPrefix(shape.urn) == true })
        #expect(idRecs.allSatisfy { $0["vdc"]?.hasPrefix("urn:vcloud:vdc:") == true }, "references are URNs in idrecords")

        let refs = try expectDocument(admin.send("GET", "/api/query?type=\(shape.type)&format=references"), 200,
                                      MediaType.queryReferences)
        #expect(refs.name == shape.reference + "References" && refs["name"] == shape.type)
        let refRows = rows(refs)
        #expect(refRows.count == recs.count && refRows.allSatisfy { $0.name == shape.reference + "Reference" })
        #expect(refRows.allSatisfy { $0["type"] == shape.entity && $0["id"]?.hasPrefix(shape.urn) == true })
        #expect(refRows.map { $0["href"] } == recs.map { $0["href"] } && refRows.map { $0["name"] } == recs.map { $0["name"] })
    }

    @Test func tenantsSeeTheirOrgOnlyAndSysadminsEveryOrg() throws {
        let alice = try server.alice(), bob = try server.bob()
        #expect(try Set(names("type=vm", alice)) == ["centos7-vm", "web", "db"])
        #expect(try names("type=vm", bob) == ["billing-vm"])
        #expect(try names("type=vAppTemplate", alice) == ["centos7", "web-stack"])
        #expect(try names("type=vAppTemplate", bob).isEmpty)
        #expect(try names("type=catalogItem", alice) == ["centos7", "web-stack"])
        #expect(try names("type=catalogItem", bob).isEmpty)
        #expect(try Set(names("type=adminVM")) == ["centos7-vm", "web", "db", "billing-vm"])
        #expect(try names("type=adminVAppTemplate") == ["centos7", "web-stack"])
        #expect(try names("type=adminCatalogItem&format=references") == ["centos7", "web-stack"])
        // A system administrator's user-view type is not limited to the System org either (as for vApp).
        #expect(try Set(names("type=vm")) == ["centos7-vm", "web", "db", "billing-vm"])
    }

    @Test func vmFilterAndSort() throws {
        let alice = try server.alice()
        #expect(try names("type=vm&filter=containerName==web-stack&sortAsc=name", alice) == ["db", "web"])
        #expect(try names("type=vm&sortDesc=memoryMB", alice) == ["db", "web", "centos7-vm"])
        #expect(try names("type=vm&filter=isVAppTemplate==false") == ["billing-vm"])
        // What VDC.query_vm_by_name asks: vdc by href and name.
        let vdc = server.url("/api/vdc/\(acme.vdcs[0].id)")
        #expect(try names("type=adminVM&filter=" + QueryRequest.encode("vdc==\(vdc);name==web")) == ["web"])
        #expect(try names("type=adminVM&filter=org==\(globex.id)") == ["billing-vm"])
        #expect(try names("type=adminVM&sortAsc=numberOfCpus&filter=isVAppTemplate==true") == ["centos7-vm", "web", "db"])
        let db = try #require(rows(query("type=vm&filter=name==db", alice)).first)
        #expect(db["containerName"] == "web-stack" && db["isVAppTemplate"] == "true" && db["catalogName"] == "acme-catalog")
        #expect(db["guestOs"] == "ubuntu64Guest" && db["numberOfCpus"] == "4" && db["memoryMB"] == "8192")
        #expect(db["container"] == server.url("/api/vAppTemplate/vappTemplate-\(acme.catalogItems[1].templateID)"))
        let billing = try #require(rows(query("type=adminVM&filter=name==billing-vm")).first)
        #expect(billing["status"] == "POWERED_ON" && billing["isDeployed"] == "true" && billing["ownerName"] == "bob")
        #expect(billing["org"] == server.url("/api/org/\(globex.id)"))
    }

    @Test func templateFilterAndSort() throws {
        let alice = try server.alice()
        #expect(try names("type=vAppTemplate&filter=name==web*", alice) == ["web-stack"])
        #expect(try names("type=vAppTemplate&sortDesc=name", alice) == ["web-stack", "centos7"])
        #expect(try names("type=adminVAppTemplate&filter=catalogName==acme-catalog&sortDesc=name") == ["web-stack", "centos7"])
        #expect(try names("type=adminVAppTemplate&filter=catalogName==globex-catalog").isEmpty)
        let t = try #require(rows(query("type=adminVAppTemplate&filter=name==centos7")).first)
        #expect(t["status"] == "RESOLVED" && t["catalogName"] == "acme-catalog" && t["vdcName"] == "acme-vdc")
        #expect(t["catalogItem"] == server.url("/api/catalogItem/\(acme.catalogItems[0].id)"))
        #expect(t["description"] == "CentOS 7, one small VM" && t["ownerName"] == "system")
    }

    @Test func catalogItemFilterAndSort() throws {
        let alice = try server.alice()
        // vcd catalog list CATALOG: idrecords filtered by catalogName.
        let items = rows(try query("type=catalogItem&format=idrecords&filter=catalogName==acme-catalog&sortDesc=name", alice))
        #expect(items.map { $0["name"] } == ["web-stack", "centos7"])
        #expect(items.allSatisfy { $0["entityType"] == "vapptemplate" && $0["status"] == "RESOLVED" })
        #expect(items.last?["entity"] == "urn:vcloud:vapptemplate:\(acme.catalogItems[0].templateID)")
        #expect(items.last?["catalog"] == "urn:vcloud:catalog:\(acme.catalogs[0].id)")
        let template = server.url("/api/vAppTemplate/vappTemplate-\(acme.catalogItems[1].templateID)")
        #expect(try names("type=adminCatalogItem&filter=" + QueryRequest.encode("entity==\(template)")) == ["web-stack"])
        #expect(try names("type=adminCatalogItem&sortAsc=entityName") == ["centos7", "web-stack"])
    }

    /// VM records follow the vApp: busy and UNRESOLVED while it is created, then the state it reached.
    @Test func vmRecordsFollowTheirVApp() throws {
        let alice = try server.alice()
        let templateID = acme.catalogItems[1].templateID
        let r = try alice.send("POST", "/api/vdc/\(acme.vdcs[0].id)/action/instantiateVAppTemplate", xml: """
            <InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="shop" powerOn="true">
              <Source href="\(server.url("/api/vAppTemplate/vappTemplate-\(templateID)"))"/></InstantiateVAppTemplateParams>
            """, contentType: MediaType.instantiateParams)
        try #require(r.status == 201, "\(r.text)")
        let vappHref = try #require(try r.xml()["href"])
        let during = rows(try query("type=vm&filter=containerName==shop&sortAsc=name", alice))
        #expect(during.map { $0["name"] } == ["db", "web"])
        #expect(during.allSatisfy { $0["status"] == "UNRESOLVED" && $0["isBusy"] == "true" && $0["container"] == vappHref })
        let advanced = try server.client().send("POST", "/mock/clock", headers: ["Content-Type": "application/json"],
                                                body: Array(#"{"advance": 2000}"#.utf8))
        try #require(advanced.status == 200)
        let after = rows(try query("type=vm&filter=containerName==shop;isVAppTemplate==false", alice))
        #expect(after.count == 2 && after.allSatisfy { $0["status"] == "POWERED_ON" && $0["isDeployed"] == "true" })
        #expect(after.allSatisfy { $0["isBusy"] == "false" && $0["ownerName"] == "alice" && $0["href"]?.contains("/api/vApp/vm-") == true })
        // Each record's href answers with that Vm.
        let vm = try alice.send("GET", try #require(after.first?["href"])).xml()
        #expect(vm.name == "Vm" && vm["status"] == "4")
        #expect(try names("type=vm", server.bob()) == ["billing-vm"], "globex does not see acme's new VMs")
    }
}
