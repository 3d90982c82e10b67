import Foundation
import Testing
import VCDCore
import VCDMock
import VCDXML

/// Blocking tasks over HTTP (vapps reference §9, §11.3), stepped with a fixed clock through POST /mock/clock.
@Suite struct BlockingTasksTests {
    let server: TestServer
    let admin: TestClient
    let alice: TestClient

    init() throws {
        server = try TestServer(clock: ControlledClock(fixed: Timestamp(iso8601: "2024-05-01T10:00:00.000Z")))
        admin = try server.sysadmin()
        alice = try server.alice()
    }

    func links(_ e: ParsedElement) -> [String: String] {
        Dictionary(e.children("Link").map { ($0["rel"] ?? "", $0["href"] ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    @Test func settingsRoundTripInSchemaOrderAndResetRestoresThem() throws {
        let initial = try admin.send("GET", "/api/admin/extension/settings/blockingTask")
        #expect(initial.header("Content-Type") == versioned(MediaType.blockingTaskSettings))
        let d = try initial.xml()
        #expect(d.namespace == Namespace.vmext && d.children.filter { $0.name != "Link" }.map(\.name)
                == ["TimeoutAction", "BlockingTaskOperations", "TimeoutInMilliseconds"])
        #expect(d.child("TimeoutAction")?.text == "abort" && d.child("TimeoutInMilliseconds")?.text == "432000000")
        #expect(d.child("BlockingTaskOperations")?.children.isEmpty == true)

        let put = try server.putBlockingSettings(admin, BlockingXML.settings(action: "fail", timeout: "1234",
                                                                             operations: ["vdcInstantiateVapp", "vappPowerOff"]))
        #expect(put.status == 200, "\(put.text)")
        let got = try admin.send("GET", "/api/admin/extension/settings/blockingTask").xml()
        #expect(got.child("TimeoutAction")?.text == "fail" && got.child("TimeoutInMilliseconds")?.text == "1234")
        let ops = got.child("BlockingTaskOperations")?.children("Operation") ?? []
        #expect(ops.map(\.text) == ["vdcInstantiateVapp", "vappPowerOff"] && ops.allSatisfy { $0.namespace == Namespace.vcloud })
        // The operations alone, and a PUT of them.
        let list = try admin.send("GET", "/api/admin/extension/settings/blockingTask/operations")
        #expect(list.header("Content-Type") == versioned(MediaType.taskOperationList))
        #expect(try list.xml().children("Operation").map(\.text) == ["vdcInstantiateVapp", "vappPowerOff"])
        let putOps = try admin.send("PUT", "/api/admin/extension/settings/blockingTask/operations", xml: """
            <vmext:BlockingTaskOperations \(BlockingXML.ns)><Operation>vdcDeleteVapp</Operation></vmext:BlockingTaskOperations>
            """, contentType: MediaType.taskOperationList)
        let putList = try putOps.xml().children("Operation").map(\.text)
        #expect(putOps.status == 200 && putList == ["vdcDeleteVapp"])
        // Discovery: SystemSettings links the settings, VMWExtension the list.
        let system = try admin.send("GET", "/api/admin/extension/settings").xml()
        #expect(system.children("Link").contains { $0["type"] == MediaType.blockingTaskSettings })
        let ext = try admin.send("GET", "/api/admin/extension").xml()
        #expect(ext.children("Link").contains { $0["type"] == MediaType.blockingTaskList && $0["href"]?.hasSuffix("/blockingTasks/") == true })
        // The state export carries them (fixture key blockingTasks).
        let state = try server.client().send("GET", "/mock/state").text
        #expect(state.contains("blockingTasks:\n  timeoutAction: fail\n  timeoutMillis: 1234\n  operations:\n  - \"vdcDeleteVapp\""), "\(state)")
        // A reset goes back to the fixture settings (and ends the sessions).
        #expect(try server.client().send("POST", "/mock/reset").status == 200)
        let reset = try server.sysadmin().send("GET", "/api/admin/extension/settings/blockingTask").xml()
        #expect(reset.child("TimeoutAction")?.text == "abort" && reset.child("BlockingTaskOperations")?.children.isEmpty == true)
    }

    @Test func blockedInstantiateWaitsInPreRunningUntilResumed() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let created = try server.instantiateAsAlice(alice, "web")
        let task = try taskOf(created)
        #expect(task["status"] == "preRunning" && task["operationName"] == "vdcInstantiateVapp")
        let taskHref = try #require(task["href"]), vappHref = try #require(created["href"])
        try server.advance(10_000)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "preRunning", "nothing moves while blocked")

        let b = try server.blockingTask(for: taskHref, admin)
        #expect(b.name == "BlockingTask" && b["status"] == "active" && b["name"] == "vdcInstantiateVapp" && b["timeoutAction"] == "abort")
        #expect(b["createdTime"] == "2024-05-01T10:00:00.000Z" && b["timeoutDate"] == "2024-05-01T10:01:00.000Z")
        #expect(Set(links(b).keys) == ["up", "resume", "abort", "fail", "updateProgress"])
        #expect(b.child("TaskOwner")?["href"] == vappHref && b.child("User")?["name"] == "alice" && b.child("Organization")?["name"] == "acme")
        let id = lastSegment(b["href"])
        #expect(b["id"] == "urn:vcloud:blockingTask:\(id)")
        // The entity resolver, with the URN either case; the query type.
        for urn in ["urn:vcloud:blockingTask:\(id)", "urn:vcloud:blockingtask:\(id)"] {
            let e = try admin.send("GET", "/api/entity/\(urn)").xml()
            #expect(e.children("Link").first { $0["rel"] == "alternate" }?["href"] == b["href"])
        }
        #expect(try alice.send("GET", "/api/entity/urn:vcloud:blockingTask:\(id)").status == 403)
        let records = try admin.send("GET", "/api/query?type=blockingTask&format=records").xml().children("BlockingTaskRecord")
        #expect(records.count == 1 && records.first?["status"] == "active" && records.first?["jobStatus"] == "preRunning")
        #expect(records.first?["task"] == taskHref && records.first?["originatingOrgName"] == "acme")
        let idrecords = try admin.send("GET", "/api/query?type=blockingTask&format=idrecords").xml().children("BlockingTaskRecord")
        #expect(idrecords.first?["id"] == "urn:vcloud:blockingTask:\(id)")
        let refs = try admin.send("GET", "/api/query?type=blockingTask&format=references").xml()
        #expect(refs.name == "BlockingTaskReferences" && refs.children("BlockingTaskReference").first?["href"] == b["href"])
        #expect(try alice.send("GET", "/api/query?type=blockingTask").status == 403)

        let resumed = try server.act(admin, b, "resume", "Approved.")
        #expect(resumed.status == 204 && resumed.body.isEmpty, "\(resumed.text)")
        let after = try admin.send("GET", try #require(b["href"])).xml()
        #expect(after["status"] == "resumed" && Set(links(after).keys) == ["up"])
        try expectVCDError(try server.act(admin, b, "abort", "Too late"), 400, "BAD_REQUEST")
        #expect(try alice.send("GET", taskHref).xml()["status"] == "queued")
        try server.advance(1000)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "running")
        try server.advance(1000)
        let done = try alice.send("GET", taskHref).xml()
        #expect(done["status"] == "success" && done.child("Details")?.text == "Approved.")
        #expect(try alice.send("GET", vappHref).xml()["status"] == "4")
        let keys = server.routingKeys(org: "acme")
        #expect(keys.contains { $0.hasPrefix("true.\(id).") && $0.hasSuffix(".com.vmware.vcloud.event.blockingtask.create.vdcInstantiateVapp") })
        #expect(keys.contains { $0.hasPrefix("true.\(id).") && $0.hasSuffix(".com.vmware.vcloud.event.blockingtask.resume.vdcInstantiateVapp") })
        #expect(keys.contains { $0.hasSuffix(".event.task.complete.vdcInstantiateVapp") })
    }

    @Test func abortRemovesTheNewVAppAndEndsTheTaskAborted() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let created = try server.instantiateAsAlice(alice, "big")
        let taskHref = try #require(try taskOf(created)["href"]), vappHref = try #require(created["href"])
        let b = try server.blockingTask(for: taskHref, admin)
        #expect(try server.act(admin, b, "abort", "Too large for this cloud").status == 204)
        let task = try alice.send("GET", taskHref).xml()
        #expect(task["status"] == "aborted" && task.child("Error")?["message"] == "Too large for this cloud")
        #expect(try alice.send("GET", vappHref).status == 403, "an aborted instantiation leaves no vApp (vCAT 2.169)")
        #expect(try admin.send("GET", try #require(b["href"])).xml()["status"] == "aborted")
        let keys = server.routingKeys(org: "acme")
        for suffix in ["blockingtask.abort.vdcInstantiateVapp", "vm.delete", "task.abort.vdcInstantiateVapp"] {
            #expect(keys.contains { $0.hasSuffix(".com.vmware.vcloud.event." + suffix) }, "\(suffix) in \(keys)")
        }
    }

    @Test func failEndsTheTaskInErrorAndTheVAppFailed() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let created = try server.instantiateAsAlice(alice, "bad")
        let taskHref = try #require(try taskOf(created)["href"]), vappHref = try #require(created["href"])
        let b = try server.blockingTask(for: taskHref, admin)
        #expect(try server.act(admin, b, "fail", "Quota exceeded").status == 204)
        let task = try alice.send("GET", taskHref).xml()
        #expect(task["status"] == "error" && task.child("Error")?["message"] == "Quota exceeded")
        #expect(try alice.send("GET", vappHref).xml()["status"] == "-1")
        #expect(try admin.send("GET", try #require(b["href"])).xml()["status"] == "failed")
        #expect(server.routingKeys(org: "acme").contains { $0.hasPrefix("false.") && $0.hasSuffix(".event.task.fail.vdcInstantiateVapp") })
    }

    @Test func updateProgressMovesTheDeadlineAndTheTimeoutActionApplies() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings(action: "abort", timeout: "10000")).status == 200)
        let created = try server.instantiateAsAlice(alice, "slow")
        let taskHref = try #require(try taskOf(created)["href"])
        let b = try server.blockingTask(for: taskHref, admin)
        try server.advance(9000)
        let r = try admin.send("POST", try #require(b["href"]) + "/action/updateProgress",
                               xml: BlockingXML.progress("Still checking", timeout: "5000"),
                               contentType: MediaType.blockingTaskUpdateProgressParams)
        let updated = try r.xml()
        #expect(r.status == 200 && r.header("Content-Type") == versioned(MediaType.blockingTask), "\(r.text)")
        #expect(updated["status"] == "active" && updated["timeoutDate"] == "2024-05-01T10:00:14.000Z")
        try server.advance(4000)  // past the first deadline (10 s), not the new one (14 s)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "preRunning")
        try server.advance(1000)
        let task = try alice.send("GET", taskHref).xml()
        #expect(task["status"] == "aborted", "the settings' timeout action at the new deadline")
        #expect(try admin.send("GET", try #require(b["href"])).xml()["status"] == "aborted")
    }

    @Test func aTimedOutPowerActionResumesWhenTheActionIsResume() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings(action: "resume", timeout: "3000", operations: ["vappPowerOff"])).status == 200)
        let bob = try server.bob()
        let billing = try #require(server.app.store.allOrgs.first { $0.name == "globex" }?.vapps.first)
        let off = try bob.send("POST", "/api/vApp/vapp-\(billing.id)/power/action/powerOff")
        let task = try off.xml()
        #expect(off.status == 202 && task["status"] == "preRunning" && task["operationName"] == "vappPowerOff")
        try server.advance(3000)
        #expect(try bob.send("GET", try #require(task["href"])).xml()["status"] == "queued")
        try server.advance(2000)
        #expect(try bob.send("GET", try #require(task["href"])).xml()["status"] == "success")
        #expect(try bob.send("GET", "/api/vApp/vapp-\(billing.id)").xml()["status"] == "8")
        #expect(server.routingKeys(org: "globex").contains { $0.hasSuffix(".event.blockingtask.resume.vappPowerOff") })
    }

    /// Compose creates a vApp through the same path as instantiate, so `vdcComposeVapp` blocks too (§9.3).
    @Test func aBlockedComposeWaitsInPreRunningUntilResumed() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings(operations: ["vdcComposeVapp"])).status == 200)
        let acme = try #require(server.app.store.allOrgs.first { $0.id == "26" })
        let body = #"<ComposeVAppParams xmlns="http://www.vmware.com/vcloud/v1.5" name="held"/>"#
        let r = try alice.send("POST", "/api/vdc/\(acme.vdcs[0].id)/action/composeVApp", xml: body, contentType: MediaType.composeParams)
        #expect(r.status == 201)
        let task = try taskOf(try r.xml())
        #expect(task["status"] == "preRunning" && task["operationName"] == "vdcComposeVapp")
        let taskHref = try #require(task["href"])
        try server.advance(10_000)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "preRunning", "nothing moves while blocked")
        #expect(try server.act(admin, server.blockingTask(for: taskHref, admin), "resume", "Approved.").status == 204)
        try server.advance(10_000)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "success")
    }

    @Test func tenantsAreRefused() throws {
        for path in ["/api/admin/extension/settings/blockingTask", "/api/admin/extension/settings/blockingTask/operations",
                     "/api/admin/extension/blockingTasks/"] {
            try expectVCDError(try alice.send("GET", path), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        }
        try expectVCDError(try server.putBlockingSettings(alice, BlockingXML.settings()), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let b = try server.blockingTask(for: try #require(try taskOf(try server.instantiateAsAlice(alice, "x"))["href"]), admin)
        try expectVCDError(try alice.send("GET", try #require(b["href"])), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        try expectVCDError(try server.act(alice, b, "resume", "mine"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(try admin.send("GET", try #require(b["href"])).xml()["status"] == "active")
    }

    @Test func badBodiesAre400WithAnErrorAndChangeNothing() throws {
        for (xml, words) in [(BlockingXML.settings(action: "explode"), "not one of resume, abort, fail"),
                             (BlockingXML.settings(timeout: "-1"), "0 or more"),
                             (BlockingXML.settings(timeout: "soon"), "whole number"),
                             ("<vmext:BlockingTaskSettings \(BlockingXML.ns)><vmext:TimeoutAction>abort</vmext:TimeoutAction></vmext:BlockingTaskSettings>",
                              "TimeoutInMilliseconds")] {
            let e = try expectVCDError(try server.putBlockingSettings(admin, xml), 400, "BAD_REQUEST")
            #expect(e["message"]?.contains(words) == true, "\(e["message"] ?? "")")
        }
        #expect(try admin.send("GET", "/api/admin/extension/settings/blockingTask").xml().child("TimeoutInMilliseconds")?.text == "432000000")
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let b = try server.blockingTask(for: try #require(try taskOf(try server.instantiateAsAlice(alice, "y"))["href"]), admin)
        let href = try #require(b["href"])
        let noMessage = try admin.send("POST", href + "/action/resume", xml: "<vmext:BlockingTaskOperationParams \(BlockingXML.ns)/>",
                                       contentType: MediaType.blockingTaskOperationParams)
        #expect(try expectVCDError(noMessage, 400, "BAD_REQUEST")["message"]?.contains("Message") == true)
        let badTimeout = try admin.send("POST", href + "/action/updateProgress", xml: BlockingXML.progress("m", timeout: "later"),
                                        contentType: MediaType.blockingTaskUpdateProgressParams)
        try expectVCDError(badTimeout, 400, "BAD_REQUEST")
        let wrongType = try admin.send("POST", href + "/action/resume", xml: BlockingXML.progress("m", timeout: nil),
                                       contentType: MediaType.blockingTaskUpdateProgressParams)
        try expectVCDError(wrongType, 415, "UNSUPPORTED_MEDIA_TYPE")
        try expectVCDError(try admin.send("POST", href + "/action/approve", xml: BlockingXML.params("m"),
                                          contentType: MediaType.blockingTaskOperationParams), 404, "RESOURCE_NOT_FOUND")
        try expectVCDError(try admin.send("GET", "/api/admin/extension/blockingTask/nope"), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(try admin.send("GET", href).xml()["status"] == "active")
    }

    /// A blocked task canceled by its user ends canceled; its blocking task is decided (aborted) and the
    /// new vApp is left failed, as a canceled creation is.
    @Test func cancelingTheBlockedTaskDecidesItsBlockingTask() throws {
        #expect(try server.putBlockingSettings(admin, BlockingXML.settings()).status == 200)
        let created = try server.instantiateAsAlice(alice, "gone")
        let taskHref = try #require(try taskOf(created)["href"])
        let b = try server.blockingTask(for: taskHref, admin)
        #expect(try alice.send("POST", taskHref + "/action/cancel").status == 204)
        #expect(try alice.send("GET", taskHref).xml()["status"] == "canceled")
        #expect(try admin.send("GET", try #require(b["href"])).xml()["status"] == "aborted")
        try expectVCDError(try server.act(admin, b, "resume", "late"), 400, "BAD_REQUEST")
        #expect(try alice.send("GET", try #require(created["href"])).xml()["status"] == "-1")
        // An org reset takes its blocking tasks with its tasks.
        #expect(try server.client().send("POST", "/mock/orgs/acme/reset").status == 200)
        let list = try admin.send("GET", "/api/admin/extension/blockingTasks/").xml()
        #expect(list.children("Reference").isEmpty)
    }
}

