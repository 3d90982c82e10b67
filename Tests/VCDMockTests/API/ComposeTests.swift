import Testing
import VCDCore
import VCDMock
import VCDXML

/// `POST /api/vdc/{id}/action/composeVApp` (vapps reference §4.6): what `vcd vapp create NAME` sends, stepped
/// with a fixed clock; a vApp from template VMs; and the 400s for bodies a real cell refuses.
@Suite struct ComposeTests {
    let server: TestServer
    let alice: TestClient

    init() throws {
        server = try TestServer(clock: ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z")))
        alice = try server.alice()
    }

    var acme: Org { server.app.store.allOrgs.first { $0.name == "acme" }! }
    var composePath: String { "/api/vdc/\(acme.vdcs[0].id)/action/composeVApp" }

    func advance(_ ms: Int) throws {
        let r = try server.client().send("POST", "/mock/clock", headers: ["Content-Type": "application/json"],
                                         body: Array("{\"advance\": \(ms)}".utf8))
        try #require(r.status == 200)
    }

    func compose(_ body: String, _ c: TestClient? = nil, path: String? = nil) throws -> TestClient.Response {
        try (c ?? alice).send("POST", path ?? composePath, xml: body, contentType: MediaType.composeParams)
    }

    /// pyvcloud's VDC.create_vapp body for `vcd vapp create NAME` (no -a flag).
    static func pyvcloudBody(_ name: String) -> String {
        #"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" name="\#(name)"><AllEULAsAccepted>false</AllEULAsAccepted></ComposeVAppParams>"#
    }

    @Test func emptyVAppEndsResolvedWithItsTaskAndEvents() throws {
        // The client follows the vdc's one add link of the compose type.
        let vdc = try alice.send("GET", "/api/vdc/\(acme.vdcs[0].id)").xml()
        let add = vdc.links(rel: "add", type: MediaType.composeParams)
        #expect(add.count == 1)
        let href = try #require(add.first?["href"])
        #expect(href == server.url(composePath))
        let r = try alice.send("POST", href, xml: Self.pyvcloudBody("empty"), contentType: MediaType.composeParams)
        let created = try expectDocument(r, 201, MediaType.vApp)
        #expect(r.header("Location") == created["href"] && created["href"]?.contains("/api/vApp/vapp-") == true)
        #expect(created["name"] == "empty" && created["status"] == "0" && created["deployed"] == "false")
        let task = try #require(created.child("Tasks")?.child("Task"))
        #expect(task["operationName"] == "vdcComposeVapp" && task["status"] == "queued")
        #expect(task.child("Owner")?["href"] == created["href"])
        let taskHref = try #require(task["href"])
        try advance(1000)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "running")
        try advance(1000)
        let done = try alice.send("GET", taskHref).xml()
        #expect(done["status"] == "success" && done.child("Progress")?.text == "100")
        let vapp = try alice.send("GET", try #require(created["href"])).xml()
        #expect(vapp["status"] == "1" && vapp["deployed"] == "false" && vapp.child("Tasks") == nil && vapp.child("Children") == nil)
        let rels = Set(vapp.children("Link").compactMap { $0["rel"] })
        #expect(rels.contains("remove") && !rels.contains("power:powerOn") && !rels.contains("deploy"))
        let record = try alice.send("GET", "/api/query?type=vApp&filter=name==empty").xml().child("VAppRecord")
        #expect(record?["status"] == "RESOLVED" && record?["numberOfVMs"] == "0")
        let keys = server.app.store.events(in: acme.id).events.map(NotificationMessage.routingKey)
        #expect(keys.contains { $0.hasSuffix(".com.vmware.vcloud.event.task.create.vdcComposeVapp") })
        #expect(keys.contains { $0.hasSuffix(".com.vmware.vcloud.event.vapp.create") })
        #expect(keys.contains { $0.hasSuffix(".com.vmware.vcloud.event.task.complete.vdcComposeVapp") })
        #expect(!keys.contains { $0.hasSuffix(".event.vm.create") }, "no VMs, no vm/create")
        // An empty vApp can be deleted at once.
        let del = try alice.send("DELETE", try #require(created["href"]))
        let delTask = try del.xml()
        #expect(del.status == 202 && delTask["operationName"] == "vdcDeleteVapp")
    }

    @Test func vmsFromTemplateVMsPowerOn() throws {
        let item = acme.catalogItems[1]
        let sources = item.vms.map { #"<SourcedItem><Source href="\#(server.url("/api/vAppTemplate/vm-\($0.id)"))"/></SourcedItem>"# }
        let r = try compose(#"""
            <ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="stack" deploy="true" powerOn="true">
              <Description>from parts</Description>\#(sources.joined())<AllEULAsAccepted>true</AllEULAsAccepted></ComposeVAppParams>
            """#)
        let created = try expectDocument(r, 201, MediaType.vApp)
        #expect(created.child("Description")?.text == "from parts")
        try advance(2000)
        let vapp = try alice.send("GET", try #require(created["href"])).xml()
        #expect(vapp["status"] == "4" && vapp["deployed"] == "true")
        let vms = vapp.child("Children")?.children("Vm") ?? []
        #expect(vms.map { $0["name"] } == ["web", "db"])
        #expect(vms.allSatisfy { $0["href"]?.contains("/api/vApp/vm-") == true }, "new VMs, not the template's")
        let types = server.app.store.events(in: acme.id).events.map(\.type)
        #expect(types.contains(EventType.prefix + "vm/create") && types.contains(EventType.prefix + "vapp/deploy"))
    }

    static let badBodies: [(String, String)] = [
        (#"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5"/>"#, "attribute \"name\" is required"),
        (#"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="  "/>"#, "attribute \"name\" is required"),
        (#"<InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="x"/>"#, "Expected a ComposeVAppParams"),
        (#"<ComposeVAppParams name="x"/>"#, "must be in namespace"),
        (#"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="x"><SourcedItem/></ComposeVAppParams>"#,
         "needs a Source element"),
        (#"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="x"><SourcedItem><Source href="http://h/api/vdc/1"/></SourcedItem></ComposeVAppParams>"#,
         "EntityRef has incorrect type"),
        (#"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="x" powerOn="yes"/>"#, "\"powerOn\" must be true or false"),
        (#"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="x"><AllEULAsAccepted>maybe</AllEULAsAccepted></ComposeVAppParams>"#,
         "AllEULAsAccepted must be true or false"),
        ("<ComposeVAppParams name=", "XML"),
    ]

    @Test(arguments: badBodies)
    func badBodiesAnswer400(body: String, problem: String) throws {
        let e = try expectVCDError(compose(body), 400, "BAD_REQUEST")
        #expect(e["message"]?.contains(problem) == true, "\(e["message"] ?? "")")
        #expect(server.app.store.allOrgs.allSatisfy { $0.vapps.allSatisfy { $0.name != "x" } }, "nothing was created")
    }

    @Test func duplicatesForeignVdcsAndWrongContentType() throws {
        #expect(try compose(Self.pyvcloudBody("twice")).status == 201)
        let dup = try expectVCDError(compose(Self.pyvcloudBody("twice")), 400, "BAD_REQUEST")
        #expect(dup["message"] == "The VCD entity twice already exists.")
        let globexVdc = try #require(server.app.store.allOrgs.first { $0.name == "globex" }?.vdcs.first?.id)
        try expectNoAccess(compose(Self.pyvcloudBody("y"), path: "/api/vdc/\(globexVdc)/action/composeVApp"), "vdc", globexVdc)
        // Another org's template VM cannot be composed into acme's vdc, by its tenant or by bob.
        let vmID = acme.catalogItems[0].vms[0].id
        let foreign = #"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="z"><SourcedItem><Source href="\#(server.url("/api/vAppTemplate/vm-\(vmID)"))"/></SourcedItem></ComposeVAppParams>"#
        try expectNoAccess(compose(foreign, try server.bob(), path: "/api/vdc/\(globexVdc)/action/composeVApp"), "vm", vmID)
        let wrongType = try alice.send("POST", composePath, xml: Self.pyvcloudBody("w"), contentType: MediaType.instantiateParams)
        try expectVCDError(wrongType, 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func aFailingComposeLeavesAFailedVApp() throws {
        let put = try server.client().send("PUT", "/mock/operations/vdcComposeVapp", headers: ["Content-Type": "application/json"],
                                           body: Array(#"{"outcome": "error", "error": {"message": "No capacity"}}"#.utf8))
        #expect(put.status == 200, "\(put.text)")
        let created = try compose(Self.pyvcloudBody("broken")).xml()
        try advance(2000)
        let task = try alice.send("GET", try #require(created.child("Tasks")?.child("Task")?["href"])).xml()
        #expect(task["status"] == "error" && task.child("Error")?["message"] == "No capacity")
        #expect(try alice.send("GET", try #require(created["href"])).xml()["status"] == "-1")
    }
}
