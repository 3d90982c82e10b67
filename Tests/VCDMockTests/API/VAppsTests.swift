import Foundation
import Testing
import VCDCore
import VCDMock
import VCDXML

/// Templates, vApps and their actions over HTTP, stepped with a fixed clock through POST /mock/clock.
@Suite struct VAppsTests {
    let server: TestServer
    let alice: TestClient

    init() throws {
        server = try TestServer(clock: ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z")))
        alice = try server.alice()
    }

    var acme: Org { server.app.store.allOrgs.first { $0.name == "acme" }! }

    func advance(_ ms: Int) throws {
        let r = try server.client().send("POST", "/mock/clock", headers: ["Content-Type": "application/json"],
                                         body: Array("{\"advance\": \(ms)}".utf8))
        try #require(r.status == 200)
    }

    func links(_ e: ParsedElement) -> [String: String] {
        Dictionary(e.children("Link").map { ($0["rel"] ?? "", $0["href"] ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    /// The client's path: vdc → org → catalog → item → template → POST to the vdc's add link.
    func instantiate(_ name: String, powerOn: Bool = true) throws -> ParsedElement {
        let vdc = try alice.send("GET", "/api/vdc/\(acme.vdcs[0].id)").xml()
        let add = try #require(vdc.children("Link").first { $0["type"] == MediaType.instantiateParams }?["href"])
        let catalog = try alice.send("GET", "/api/catalog/\(acme.catalogs[0].id)").xml()
        let itemHref = try #require(catalog.child("CatalogItems")?.children("CatalogItem").first { $0["name"] == "web-stack" }?["href"])
        let item = try alice.send("GET", itemHref).xml()
        let templateHref = try #require(item.child("Entity")?["href"])
        let template = try alice.send("GET", templateHref).xml()
        #expect(template["status"] == "8" && template.child("Children")?.children("Vm").count == 2)
        let r = try alice.send("POST", add, xml: """
            <InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="\(name)" deploy="\(powerOn)" powerOn="\(powerOn)">
              <InstantiationParams/><Source href="\(templateHref)"/><AllEULAsAccepted>false</AllEULAsAccepted>
            </InstantiateVAppTemplateParams>
            """, contentType: MediaType.instantiateParams)
        #expect(r.status == 201, "\(r.text)")
        #expect(r.header("Location")?.contains("/api/vApp/vapp-") == true)
        return try r.xml()
    }

    @Test func instantiateAndWaitStepByStep() throws {
        let created = try instantiate("web")
        #expect(created["status"] == "0" && created["deployed"] == "false")
        #expect(links(created)["power:powerOn"] == nil && links(created)["remove"] == nil)
        let task = try #require(created.child("Tasks")?.child("Task"))
        #expect(task["operationName"] == "vdcInstantiateVapp" && task["status"] == "queued")
        let taskHref = try #require(task["href"])
        let vappHref = try #require(created["href"])
        // The vdc lists it at once (go-vcloud-director finds vApps there).
        let vdc = try alice.send("GET", "/api/vdc/\(acme.vdcs[0].id)").xml()
        #expect(vdc.child("ResourceEntities")?.children("ResourceEntity").contains { $0["href"] == vappHref } == true)
        try advance(1000)
        let mid = try alice.send("GET", taskHref).xml()
        #expect(mid["status"] == "running" && mid.child("Progress")?.text == "50")
        try advance(1000)
        let done = try alice.send("GET", taskHref).xml()
        #expect(done["status"] == "success" && done.child("Progress")?.text == "100")
        let vapp = try alice.send("GET", vappHref).xml()
        #expect(vapp["status"] == "4" && vapp["deployed"] == "true" && vapp.child("Tasks") == nil)
        #expect(Set(links(vapp).keys).isSuperset(of: ["power:powerOff", "power:reboot", "power:suspend", "undeploy", "deploy"]))
        #expect(links(vapp)["power:powerOn"] == nil && links(vapp)["remove"] == nil)
        #expect(vapp.children("Link").first { $0["rel"] == "power:powerOff" }?["type"] == nil)  // pyvcloud needs no type
        let vms = vapp.child("Children")?.children("Vm") ?? []
        #expect(vms.map { $0["name"] } == ["web", "db"] && vms.allSatisfy { $0["status"] == "4" })
        // Notification routing keys: task events end with the operation name, object events with their type.
        let vappID = String(vappHref.split(separator: "-", maxSplits: 1).last ?? "")
        let keys = server.app.store.events(in: acme.id).events.map(NotificationMessage.routingKey)
        #expect(keys.contains { $0.hasSuffix(".com.vmware.vcloud.event.task.create.vdcInstantiateVapp") })
        #expect(keys.contains { $0.hasPrefix("true.\(vappID).\(acme.id).") && $0.hasSuffix(".com.vmware.vcloud.event.vapp.create") })
        #expect(keys.contains { $0.hasSuffix(".com.vmware.vcloud.event.task.complete.vdcInstantiateVapp") })
        let vmHref = try #require(vms.first?["href"])
        let vm = try alice.send("GET", vmHref).xml()
        #expect(vm.name == "Vm" && links(vm)["power:powerOff"] != nil && links(vm)["deploy"] == nil)
    }

    @Test func powerCycleThenDelete() throws {
        let vappHref = try #require(try instantiate("app")["href"])
        try advance(2000)
        // Illegal: delete while deployed, power on while on.
        let refused = try alice.send("DELETE", vappHref)
        #expect(refused.status == 400 && refused.text.contains("Stop the vApp and try again"))
        #expect(try alice.send("POST", vappHref + "/power/action/powerOn").status == 400)
        let off = try alice.send("POST", vappHref + "/power/action/powerOff")
        #expect(off.status == 202 && off.header("Location")?.contains("/api/task/") == true)
        #expect(try off.xml()["operationName"] == "vappPowerOff")
        let busy = try alice.send("POST", vappHref + "/action/undeploy")
        #expect(busy.status == 400 && busy.text.contains("busy"))
        try advance(2000)
        var vapp = try alice.send("GET", vappHref).xml()
        #expect(vapp["status"] == "8" && vapp["deployed"] == "true" && links(vapp)["power:powerOn"] != nil)
        let undeploy = try alice.send("POST", vappHref + "/action/undeploy", xml: """
            <UndeployVAppParams xmlns="http://www.vmware.com/vcloud/v1.5"><UndeployPowerAction>default</UndeployPowerAction></UndeployVAppParams>
            """, contentType: MediaType.undeployParams)
        let undeployTask = try undeploy.xml()
        #expect(undeploy.status == 202 && undeployTask["operationName"] == "vappUndeployPowerOff")
        try advance(2000)
        vapp = try alice.send("GET", vappHref).xml()
        #expect(vapp["deployed"] == "false" && links(vapp)["remove"] != nil)
        let del = try alice.send("DELETE", vappHref + "?force=False&recursive=False")
        let delTask = try del.xml()
        #expect(del.status == 202 && delTask["operationName"] == "vdcDeleteVapp")
        try advance(2000)
        #expect(try alice.send("GET", vappHref).status == 403)
    }

    @Test func operationOutcomeAndDurationFromTheControlAPI() throws {
        let put = try server.client().send("PUT", "/mock/operations/vdcInstantiateVapp", headers: ["Content-Type": "application/json"],
                                           body: Array(#"{"duration": "PT10S", "outcome": "error", "error": {"message": "No capacity"}}"#.utf8))
        #expect(put.status == 200, "\(put.text)")
        let created = try instantiate("fails")
        let taskHref = try #require(created.child("Tasks")?.child("Task")?["href"])
        try advance(9000)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "running")
        try advance(1000)
        let failed = try alice.send("GET", taskHref).xml()
        #expect(failed["status"] == "error" && failed.child("Error")?["message"] == "No capacity")
        #expect(try alice.send("GET", try #require(created["href"])).xml()["status"] == "-1")
        #expect(try server.client().send("PUT", "/mock/operations/nope", body: Array("{}".utf8)).status == 404)
    }

    @Test func otherTenantsAndBadBodies() throws {
        let billing = try #require(server.app.store.allOrgs.first { $0.name == "globex" }?.vapps.first)
        #expect(try alice.send("GET", "/api/vApp/vapp-\(billing.id)").status == 403)
        #expect(try server.bob().send("GET", "/api/vApp/vapp-\(billing.id)").xml()["status"] == "4")
        let wrongSource = try alice.send("POST", "/api/vdc/\(acme.vdcs[0].id)/action/instantiateVAppTemplate", xml: """
            <InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="x"><Source href="\(server.base)/api/vdc/1"/></InstantiateVAppTemplateParams>
            """, contentType: MediaType.instantiateParams)
        #expect(wrongSource.status == 400 && wrongSource.text.contains("expected type is com.vmware.vcloud.entity.vapptemplate"))
        _ = try instantiate("dup")
        let vdcHref = "/api/vdc/\(acme.vdcs[0].id)/action/instantiateVAppTemplate"
        let templateID = acme.catalogItems[0].templateID
        let dup = try alice.send("POST", vdcHref, xml: """
            <InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="dup"><Source href="\(server.base)/api/vAppTemplate/vappTemplate-\(templateID)"/></InstantiateVAppTemplateParams>
            """, contentType: MediaType.instantiateParams)
        #expect(dup.status == 400 && dup.text.contains("The VCD entity dup already exists."))
    }

    /// What pyvcloud's delete_vapp and vcd-cli's vapp commands run: a vApp query by name within a vdc.
    @Test func vAppQueryByNameAndVdc() throws {
        _ = try instantiate("q1")
        let vdcHref = server.url("/api/vdc/\(acme.vdcs[0].id)")
        let q = "/api/query?type=vApp&format=records&filter=" + "(name==q1;vdc==\(vdcHref))".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let records = try alice.send("GET", q).xml().children("VAppRecord")
        #expect(records.count == 1 && records.first?["status"] == "UNRESOLVED" && records.first?["isBusy"] == "true")
        #expect(records.first?["ownerName"] == "alice" && records.first?["vdcName"] == "acme-vdc")
        try advance(2000)
        let after = try alice.send("GET", q).xml().children("VAppRecord")
        #expect(after.first?["status"] == "POWERED_ON" && after.first?["isDeployed"] == "true")
        // Tenants see their own vApps only; the sysadmin's adminVApp sees both orgs'.
        #expect(try server.bob().send("GET", "/api/query?type=vApp").xml().children("VAppRecord").map { $0["name"] } == ["billing"])
        let all = try server.sysadmin().send("GET", "/api/query?type=adminVApp").xml().children("AdminVAppRecord")
        #expect(Set(all.compactMap { $0["name"] }) == ["q1", "billing"])
    }
}
