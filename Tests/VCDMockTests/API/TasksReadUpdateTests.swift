import Testing
import VCDCore
import VCDXML

/// Reading, updating and cancelling service tasks (reference §4.1, §4.4-4.6).
@Suite struct TasksReadUpdateTests: TaskTestSupport {
    // MARK: GET /api/tasksList/{org}

    @Test func tasksListIsNamedTasksLists() throws {
        let server = try TestServer()
        let list = try expectDocument(server.alice().send("GET", "/api/tasksList/26"), 200, MediaType.tasksList)
        #expect(list.name == "TasksList")
        #expect(list["name"] == "Tasks Lists")
        #expect(list["href"] == server.url("/api/tasksList/26"))
        #expect(list["type"] == MediaType.tasksList)
    }

    @Test func tasksListOfAnOrgWithoutTasksIsEmpty() throws {
        let server = try TestServer()
        #expect(try server.alice().send("GET", "/api/tasksList/26").xml().children.isEmpty)
    }

    @Test func tasksListHoldsTasksAsDirectChildrenInCreationOrder() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let first = try createTask(admin, taskXML(#"name="first" status="running" serviceNamespace="org.example.vcd.backup""#))
        let second = try createTask(admin, taskXML(#"name="second" status="queued" serviceNamespace="org.example.vcd.backup""#))
        let list = try admin.send("GET", "/api/tasksList/26").xml()
        #expect(list.childSequence == ["Task"])
        #expect(list.children("Task").map { $0["id"] } == [first["id"], second["id"]])
        #expect(list.children("Task").first == first)
    }

    @Test func tasksListOnlyHoldsTheOrgsOwnTasks() throws {
        let server = try TestServer()
        _ = try createTask(server.sysadmin())
        let list = try server.bob().send("GET", "/api/tasksList/\(server.orgID("globex"))").xml()
        #expect(list.children("Task").map { $0["name"] } == ["task"])
        #expect(list.children("Task").first?["status"] == "success")
    }

    @Test func plainUserReadsTheirOrgsTasksList() throws {
        let server = try TestServer()
        let r = try server.carol().send("GET", "/api/tasksList/\(server.orgID("globex"))")
        #expect(r.status == 200)
        #expect(try r.xml().children("Task").count == 1)
    }

    @Test func tenantGets403ForAnotherOrgsTasksList() throws {
        let server = try TestServer()
        let globex = try server.orgID("globex")
        try expectNoAccess(server.alice().send("GET", "/api/tasksList/\(globex)"), "org", globex)
    }

    @Test func tasksListOfAnUnknownOrgGives403() throws {
        let server = try TestServer()
        try expectNoAccess(server.sysadmin().send("GET", "/api/tasksList/no-such-org"), "org", "no-such-org")
    }

    // MARK: GET /api/task/{id}

    @Test func getReturnsTheTaskAsCreated() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let created = try createTask(admin)
        let fetched = try expectDocument(admin.send("GET", try #require(created["href"])), 200, MediaType.task)
        #expect(fetched == created)
    }

    @Test func tenantReadsATaskOfTheirOrg() throws {
        let server = try TestServer()
        let created = try createTask(server.sysadmin())
        let r = try server.alice().send("GET", try #require(created["href"]))
        #expect(r.status == 200)
        #expect(try r.xml()["id"] == created["id"])
    }

    @Test func plainUserReadsAFinishedTaskOfTheirOrg() throws {
        let server = try TestServer()
        let task = try globexTask(server)
        let r = try server.carol().send("GET", try #require(task["href"]))
        let fetched = try expectDocument(r, 200, MediaType.task)
        #expect(fetched["status"] == "success")
        #expect(fetched["endTime"] != nil)
        #expect(fetched.child("User")?["name"] == "bob")
    }

    @Test func tenantGets403ForAnotherOrgsTask() throws {
        let server = try TestServer()
        let created = try createTask(server.sysadmin())
        let id = lastSegment(created["href"])
        try expectNoAccess(server.bob().send("GET", "/api/task/\(id)"), "task", id)
    }

    @Test func unknownTaskIdGives403() throws {
        let server = try TestServer()
        let id = "00000000-0000-0000-0000-000000000604"
        try expectNoAccess(server.sysadmin().send("GET", "/api/task/\(id)"), "task", id)
    }

    // MARK: PUT /api/task/{id}

    @Test func updateSetsProgressAndDetails() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        let r = try admin.putTask(href, taskXML(taskXMLDefaults, "<Progress>50</Progress><Details>halfway</Details>"))
        let updated = try expectDocument(r, 200, MediaType.task)
        #expect(updated["status"] == "running")
        #expect(updated.child("Progress")?.text == "50")
        #expect(updated.child("Details")?.text == "halfway")
        let fetched = try admin.send("GET", href).xml()
        #expect(fetched == updated)
    }

    @Test func updateChangesOperationAndOperationName() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        let updated = try admin.putTask(href, taskXML(
            #"name="task" status="running" serviceNamespace="org.example.vcd.backup" operation="Copying disks" operationName="jobCustom""#)).xml()
        #expect(updated["operation"] == "Copying disks")
        #expect(updated["operationName"] == "jobCustom")
    }

    @Test func updateIgnoresServerOwnedFields() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let created = try createTask(admin)
        let href = try #require(created["href"])
        let updated = try admin.putTask(href, taskXML(
            #"name="task" status="running" serviceNamespace="org.example.vcd.backup" id="urn:vcloud:task:604" startTime="2000-01-01T00:00:00.000Z" expiryTime="2000-01-02T00:00:00.000Z" cancelRequested="true""#)).xml()
        #expect(updated["id"] == created["id"])
        #expect(updated["href"] == href)
        #expect(updated["startTime"] == created["startTime"])
        #expect(updated["expiryTime"] == created["expiryTime"])
        #expect(updated["cancelRequested"] == "false")
    }

    @Test func updateToSuccessSetsEndTimeAndDropsTheCancelLink() throws {
        let clock = TestClock()
        let server = try TestServer(clock: clock)
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        clock.advance(seconds: 30)
        let done = try admin.putTask(href, taskXML(#"name="task" status="success" serviceNamespace="org.example.vcd.backup""#)).xml()
        #expect(done["status"] == "success")
        #expect(done["endTime"] == "2024-05-01T10:00:30.000Z")
        #expect(done.links(rel: "task:cancel", type: nil).isEmpty)
        #expect(done.child("Error") == nil)
    }

    @Test func updateToErrorWithoutAnErrorChildStillCarriesAnError() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        let failed = try admin.putTask(href, taskXML(#"name="task" status="error" serviceNamespace="org.example.vcd.backup""#)).xml()
        #expect(failed["status"] == "error")
        #expect(failed["endTime"] != nil)
        let error = try #require(failed.child("Error"))
        #expect(error.namespace == Namespace.vcloud)
        #expect(Int(error["majorErrorCode"] ?? "") != nil)
        #expect(!(error["minorErrorCode"] ?? "").isEmpty)
        #expect(!(error["message"] ?? "").isEmpty)
    }

    @Test func updateWithAnErrorKeepsItsCodesAndMessage() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        let failed = try admin.putTask(href, taskXML(#"name="task" status="error" serviceNamespace="org.example.vcd.backup""#,
            #"<Error majorErrorCode="500" minorErrorCode="INTERNAL_SERVER_ERROR" message="Backup failed: disk full"/>"#)).xml()
        let error = try #require(failed.child("Error"))
        #expect(error["message"] == "Backup failed: disk full")
        #expect(error["majorErrorCode"] == "500")
        #expect(error["minorErrorCode"] == "INTERNAL_SERVER_ERROR")
    }

    @Test func aFailedTasksChildrenAreInSchemaOrder() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin, taskXML(taskXMLDefaults,
            #"<Description>x</Description><Owner href="https://vcd.example/api/org/26"/><Progress>5</Progress><Details>d</Details>"#))["href"])
        let failed = try admin.putTask(href, taskXML(#"name="task" status="error" serviceNamespace="org.example.vcd.backup""#,
            #"<Details>d</Details><Error majorErrorCode="500" minorErrorCode="INTERNAL_SERVER_ERROR" message="m"/>"#)).xml()
        #expect(failed.childSequence == ["Description", "Owner", "Error", "User", "Organization", "Progress", "Details"])
    }

    @Test func updateChangingAFinishedTasksStatusGives400() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin, taskXML(#"name="task" status="success" serviceNamespace="org.example.vcd.backup""#))["href"])
        try expectVCDError(admin.putTask(href, taskXML()), 400, "BAD_REQUEST")
        #expect(try admin.send("GET", href).xml()["status"] == "success")
    }

    @Test func updateWithAnUnknownStatusGives400() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        try expectVCDError(admin.putTask(href, taskXML(#"name="task" status="finished" serviceNamespace="org.example.vcd.backup""#)),
                           400, "BAD_REQUEST")
    }

    @Test func updateWithProgressOver100Gives400() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        try expectVCDError(admin.putTask(href, taskXML(taskXMLDefaults, "<Progress>150</Progress>")), 400, "BAD_REQUEST")
    }

    @Test func updateWithTheWrongContentTypeGives415() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        try expectVCDError(admin.send("PUT", href, xml: taskXML(), contentType: "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func updateOfAnUnknownTaskGives403() throws {
        let server = try TestServer()
        let id = "00000000-0000-0000-0000-000000000604"
        try expectNoAccess(server.sysadmin().putTask("/api/task/\(id)", taskXML()), "task", id)
    }

    // MARK: POST /api/task/{id}/action/cancel

    @Test func cancelAnswers204WithoutBody() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        let r = try admin.send("POST", href + "/action/cancel")
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        #expect(!(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "").isEmpty)
    }

    @Test func aCanceledTaskIsCanceledWithCancelRequestedAnErrorAndEndTime() throws {
        let clock = TestClock()
        let server = try TestServer(clock: clock)
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        clock.advance(seconds: 5)
        #expect(try admin.send("POST", href + "/action/cancel").status == 204)
        let task = try admin.send("GET", href).xml()
        #expect(task["status"] == "canceled")
        #expect(task["cancelRequested"] == "true")
        #expect(task["endTime"] == "2024-05-01T10:00:05.000Z")
        let error = try #require(task.child("Error"))
        #expect(!(error["message"] ?? "").isEmpty)
        #expect(task.links(rel: "task:cancel", type: nil).isEmpty)
    }

    @Test func cancelThroughTheTasksCancelLink() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let cancel = try #require(try createTask(admin).link(rel: "task:cancel", type: nil)?["href"])
        #expect(try admin.send("POST", cancel).status == 204)
    }

    @Test func cancelOfAFinishedTaskGives400() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin, taskXML(#"name="task" status="success" serviceNamespace="org.example.vcd.backup""#))["href"])
        try expectVCDError(admin.send("POST", href + "/action/cancel"), 400, "BAD_REQUEST")
        #expect(try admin.send("GET", href).xml()["status"] == "success")
    }

    @Test func cancelTwiceGives400TheSecondTime() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        #expect(try admin.send("POST", href + "/action/cancel").status == 204)
        try expectVCDError(admin.send("POST", href + "/action/cancel"), 400, "BAD_REQUEST")
    }

    @Test func cancelOfAnUnknownTaskGives403() throws {
        let server = try TestServer()
        let id = "00000000-0000-0000-0000-000000000604"
        try expectNoAccess(server.sysadmin().send("POST", "/api/task/\(id)/action/cancel"), "task", id)
    }

    @Test func tenantGets403CancelingAnotherOrgsTask() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try createTask(admin)["href"])
        try expectNoAccess(server.bob().send("POST", href + "/action/cancel"), "task", lastSegment(href))
        #expect(try admin.send("GET", href).xml()["status"] == "running")
    }
}
