import Testing
import VCDCore
import VCDXML

/// Creating service tasks: `POST /api/tasksList/{org}` and what it refuses (reference §4.3).
@Suite struct TasksCreateTests: TaskTestSupport {
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

}
