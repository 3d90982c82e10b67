import Testing
import VCDCore
import VCDXML

/// Service tasks (reference §4): the tasks list, create, read, update and cancel.
@Suite struct TasksTests {
    static let namespace = "org.example.vcd.backup"

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower-case hex.
    func isUUID(_ s: String) -> Bool {
        let chars = Array(s)
        guard chars.count == 36 else { return false }
        for (i, c) in chars.enumerated() {
            if [8, 13, 18, 23].contains(i) { if c != "-" { return false } } else if !"0123456789abcdef".contains(c) { return false }
        }
        return true
    }

    /// Creates a running task in acme as sysadmin and returns it.
    func createTask(_ admin: TestClient, _ xml: String = taskXML()) throws -> XMLElement {
        let r = try admin.postTask(xml)
        #expect(r.status == 200, "body: \(r.text)")
        return try r.xml()
    }

    /// The finished task of the globex fixture, as bob sees it in his tasks list.
    func globexTask(_ server: TestServer) throws -> XMLElement {
        let list = try server.bob().send("GET", "/api/tasksList/\(server.orgID("globex"))").xml()
        return try #require(list.children("Task").first)
    }

    // MARK: POST /api/tasksList/{org}

    @Test func createAnswers200WithTheTask() throws {
        let server = try TestServer()
        let task = try expectDocument(server.sysadmin().postTask(taskXML()), 200, MediaType.task)
        #expect(task.name == "Task")
        #expect(task["status"] == "running")
    }

    @Test func createAssignsATaskURNAndHref() throws {
        let server = try TestServer()
        let task = try createTask(server.sysadmin())
        let id = try #require(task["id"])
        #expect(id.hasPrefix("urn:vcloud:task:"))
        let uuid = String(id.dropFirst("urn:vcloud:task:".count))
        #expect(isUUID(uuid), "\(uuid) is not a UUID")
        #expect(task["href"] == server.url("/api/task/\(uuid)"))
        #expect(task["type"] == MediaType.task)
    }

    @Test func everyCreatedTaskGetsItsOwnId() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        #expect(try createTask(admin)["id"] != createTask(admin)["id"])
    }

    @Test func createSetsStartTimeToNowAndExpiryTime90DaysLater() throws {
        let clock = TestClock("2024-05-01T10:00:00.000Z")
        let server = try TestServer(clock: clock)
        let task = try createTask(server.sysadmin())
        #expect(task["startTime"] == "2024-05-01T10:00:00.000Z")
        #expect(task["expiryTime"] == "2024-07-30T10:00:00.000Z")
    }

    @Test func expiryTimeIsExactlyStartTimePlus90Days() throws {
        let server = try TestServer()
        let task = try createTask(server.sysadmin())
        let start = try #require(Timestamp(iso8601: task["startTime"] ?? ""))
        let expiry = try #require(Timestamp(iso8601: task["expiryTime"] ?? ""))
        #expect(expiry.milliseconds - start.milliseconds == 90 * 86_400_000)
    }

    @Test func createSetsCancelRequestedFalse() throws {
        let server = try TestServer()
        #expect(try createTask(server.sysadmin())["cancelRequested"] == "false")
    }

    @Test func aRunningTaskHasNoEndTime() throws {
        let server = try TestServer()
        #expect(try createTask(server.sysadmin())["endTime"] == nil)
    }

    @Test func createKeepsTheClientsFields() throws {
        let server = try TestServer()
        let task = try createTask(server.sysadmin(), taskXML(
            #"name="backup" status="queued" serviceNamespace="org.example.vcd.backup" operation="Backup in progress" operationName="backupInProgress""#,
            #"<Description>nightly</Description><Owner type="application/vnd.vmware.vcloud.org+xml" name="acme" href="https://vcd.example/api/org/26"/><Progress>10</Progress><Details>step 1 of 10</Details>"#))
        #expect(task["name"] == "backup")
        #expect(task["status"] == "queued")
        #expect(task["serviceNamespace"] == Self.namespace)
        #expect(task["operation"] == "Backup in progress")
        #expect(task["operationName"] == "backupInProgress")
        #expect(task.child("Description")?.text == "nightly")
        let owner = try #require(task.child("Owner"))
        #expect(owner["href"] == "https://vcd.example/api/org/26")
        #expect(owner["name"] == "acme")
        #expect(owner["type"] == MediaType.org)
        #expect(task.child("Progress")?.text == "10")
        #expect(task.child("Details")?.text == "step 1 of 10")
    }

    @Test func createAddsTheTasksListsOrgAsOrganization() throws {
        let server = try TestServer()
        let organization = try #require(try createTask(server.sysadmin()).child("Organization"))
        #expect(organization["href"] == server.url("/api/org/26"))
        #expect(organization["name"] == "acme")
        #expect(organization["type"] == MediaType.org)
    }

    @Test func createAddsTheCallerAsUser() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let user = try #require(try createTask(admin).child("User"))
        #expect(user["href"] == server.url("/api/admin/user/\(try admin.userID())"))
        #expect(user["name"] == "administrator")
        #expect(user["type"] == MediaType.user)
    }

    @Test func createKeepsAGivenUserAndOrganization() throws {
        let server = try TestServer()
        let task = try createTask(server.sysadmin(), taskXML(
            #"name="task" status="running" serviceNamespace="org.example.vcd.backup""#,
            #"<User type="application/vnd.vmware.admin.user+xml" name="bob" href="https://vcd.example/api/admin/user/39"/><Organization type="application/vnd.vmware.vcloud.org+xml" name="Finance" href="https://vcd.example/api/org/5"/>"#))
        #expect(task.child("User")?["href"] == "https://vcd.example/api/admin/user/39")
        #expect(task.child("User")?["name"] == "bob")
        #expect(task.child("User")?["type"] == MediaType.user)
        #expect(task.child("Organization")?["href"] == "https://vcd.example/api/org/5")
        #expect(task.child("Organization")?["name"] == "Finance")
        #expect(task.children("User").count == 1)
        #expect(task.children("Organization").count == 1)
    }

    @Test func anActiveTaskLinksToItsCancelAction() throws {
        let server = try TestServer()
        let task = try createTask(server.sysadmin())
        let href = try #require(task["href"])
        #expect(task.link(rel: "task:cancel", type: nil)?["href"] == href + "/action/cancel")
    }

    @Test func taskChildrenAreInSchemaOrder() throws {
        let server = try TestServer()
        // The body lists them out of order on purpose; the answer must follow TaskType.
        let task = try createTask(server.sysadmin(), taskXML(
            #"name="task" status="running" serviceNamespace="org.example.vcd.backup""#,
            #"<Details>d</Details><Progress>5</Progress><Owner href="https://vcd.example/api/org/26"/><Description>x</Description>"#))
        #expect(task.childSequence == ["Link", "Description", "Owner", "User", "Organization", "Progress", "Details"])
    }

    @Test func createWithATerminalStatusSetsEndTimeAndNoCancelLink() throws {
        let clock = TestClock()
        let server = try TestServer(clock: clock)
        let task = try createTask(server.sysadmin(), taskXML(#"name="task" status="success" serviceNamespace="org.example.vcd.backup""#))
        #expect(task["endTime"] == "2024-05-01T10:00:00.000Z")
        #expect(task.links(rel: "task:cancel", type: nil).isEmpty)
    }

    @Test func createThroughTheOrgsTasksListLink() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try admin.send("GET", "/api/org/26").xml().link(rel: "down", type: MediaType.tasksList)?["href"])
        #expect(try admin.send("POST", href, xml: taskXML(), contentType: MediaType.task).status == 200)
    }

    @Test func createAcceptsContentTypeWithCharsetOrVersion() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        #expect(try admin.postTask(taskXML(), contentType: MediaType.task + "; charset=ISO-8859-1").status == 200)
        #expect(try admin.postTask(taskXML(), contentType: MediaType.task + ";version=5.5").status == 200)
    }

    @Test func createIgnoresServerOwnedAttributesInTheBody() throws {
        let clock = TestClock()
        let server = try TestServer(clock: clock)
        let task = try createTask(server.sysadmin(), taskXML(
            #"name="task" status="running" serviceNamespace="org.example.vcd.backup" id="urn:vcloud:task:604" href="https://evil.example/api/task/604" startTime="2000-01-01T00:00:00.000Z" cancelRequested="true""#))
        #expect(task["id"] != "urn:vcloud:task:604")
        #expect(task["href"]?.hasPrefix(server.url("/api/task/")) == true)
        #expect(task["startTime"] == "2024-05-01T10:00:00.000Z")
        #expect(task["cancelRequested"] == "false")
    }

    @Test func orgAdministratorGets403ForCreate() throws {
        let server = try TestServer()
        try expectVCDError(server.alice().postTask(taskXML()), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
    }

    @Test func createInAnUnknownOrgGives403() throws {
        let server = try TestServer()
        try expectNoAccess(server.sysadmin().postTask(taskXML(), org: "no-such-org"), "org", "no-such-org")
    }

    // MARK: Create: rejected bodies (400)

    @Test func createWithoutNameGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(taskXML(#"status="running" serviceNamespace="org.example.vcd.backup""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithoutStatusGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(taskXML(#"name="task" serviceNamespace="org.example.vcd.backup""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithoutServiceNamespaceGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(taskXML(#"name="task" status="running""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithAnUnknownStatusGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(taskXML(#"name="task" status="done" serviceNamespace="org.example.vcd.backup""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test(arguments: ["queued", "preRunning", "running", "success", "error", "canceled", "aborted"])
    func createAcceptsEveryTaskStatus(status: String) throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(taskXML(#"name="task" status="\#(status)" serviceNamespace="org.example.vcd.backup""#))
        #expect(r.status == 200)
        #expect(try r.xml()["status"] == status)
    }

    @Test func createWithAVMwareServiceNamespaceGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(taskXML(#"name="task" status="running" serviceNamespace="com.vmware.vcloud.x""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithA129CharacterServiceNamespaceGives400() throws {
        let server = try TestServer()
        let long = String(repeating: "n", count: 129)
        let r = try server.sysadmin().postTask(taskXML(#"name="task" status="running" serviceNamespace="\#(long)""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createAcceptsA128CharacterServiceNamespace() throws {
        let server = try TestServer()
        let longest = String(repeating: "n", count: 128)
        let r = try server.sysadmin().postTask(taskXML(#"name="task" status="running" serviceNamespace="\#(longest)""#))
        #expect(r.status == 200)
    }

    @Test func createWithANonIntegerProgressGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(taskXMLDefaults, "<Progress>ten</Progress>")), 400, "BAD_REQUEST")
    }

    @Test func createWithProgressOver100Gives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(taskXMLDefaults, "<Progress>101</Progress>")), 400, "BAD_REQUEST")
    }

    @Test func createWithNegativeProgressGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(taskXMLDefaults, "<Progress>-1</Progress>")), 400, "BAD_REQUEST")
    }

    @Test func createAcceptsProgress0And100() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        #expect(try admin.postTask(taskXML(taskXMLDefaults, "<Progress>0</Progress>")).status == 200)
        #expect(try admin.postTask(taskXML(taskXMLDefaults, "<Progress>100</Progress>")).status == 200)
    }

    @Test func createWithAnotherRootElementGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(eventXML())
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithoutTheVcloudNamespaceGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(#"<Task name="task" status="running" serviceNamespace="org.example.vcd.backup"/>"#)
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithMalformedXMLGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask(#"<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running""#)
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func createWithAnEmptyBodyGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(""), 400, "BAD_REQUEST")
    }

    @Test func createWithAnExternalEntityGives400AndReadsNoFile() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.postTask("""
            <?xml version="1.0"?>
            <!DOCTYPE Task [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" \
            serviceNamespace="org.example.vcd.backup"><Details>&xxe;</Details></Task>
            """)
        try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(!r.text.contains("root:"))
        #expect(try admin.send("GET", "/api/tasksList/26").xml().children("Task").isEmpty)
    }

    @Test func createWithAnInternalEntityGives400AndDoesNotExpandIt() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.postTask("""
            <?xml version="1.0"?>
            <!DOCTYPE Task [<!ENTITY secret "EXPANDED-ENTITY-TEXT">]>
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" \
            serviceNamespace="org.example.vcd.backup" operation="&secret;"><Details>&secret;</Details></Task>
            """)
        try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(!r.text.contains("EXPANDED-ENTITY-TEXT"))
        let list = try admin.send("GET", "/api/tasksList/26")
        #expect(!list.text.contains("EXPANDED-ENTITY-TEXT"))
        #expect(try list.xml().children("Task").isEmpty)
    }

    @Test func createWithAnEntityExpansionBombGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postTask("""
            <?xml version="1.0"?>
            <!DOCTYPE Task [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" \
            serviceNamespace="org.example.vcd.backup"><Details>&d;</Details></Task>
            """)
        try expectVCDError(r, 400, "BAD_REQUEST")
        try expectServerStillAnswers(server)
    }

    // MARK: Create: rejected media types (415)

    @Test func createWithPlainXMLContentTypeGives415() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(), contentType: "application/xml"), 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func createWithAnotherVCloudMediaTypeGives415() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postTask(taskXML(), contentType: MediaType.org), 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func createWithoutContentTypeGives415() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", "/api/tasksList/26", body: Array(taskXML().utf8))
        try expectVCDError(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    }

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

/// The attributes every valid Task body carries.
let taskXMLDefaults = #"name="task" status="running" serviceNamespace="org.example.vcd.backup""#
