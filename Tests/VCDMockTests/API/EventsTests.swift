import Testing
import VCDCore
import VCDXML

/// `POST /api/admin/org/{id}/events` (reference §7.1): a service records an event; 204, sysadmin only.
@Suite struct EventsTests {
    @Test func postingAnEventAnswers204WithoutBody() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postEvent(eventXML(eventXMLDefaults, """
            <Owner type="application/vnd.vmware.vcloud.org+xml" name="acme" href="https://vcd.example/api/org/26"/>\
            <User type="application/vnd.vmware.admin.user+xml" name="alice" href="https://vcd.example/api/admin/user/39"/>
            """))
        #expect(r.status == 204)
        #expect(r.body.isEmpty)
        #expect(!(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "").isEmpty)
    }

    @Test func postingThroughTheEventCreateLinkWorks() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try admin.send("GET", "/api/admin/org/26").xml().link(rel: "event:create", type: MediaType.event)?["href"])
        #expect(try admin.send("POST", href, xml: eventXML(), contentType: MediaType.adminEvent).status == 204)
    }

    @Test func theMediaTypeTheEventCreateLinkAdvertisesIsAlsoAccepted() throws {
        let server = try TestServer()
        #expect(try server.sysadmin().postEvent(eventXML(), contentType: MediaType.event).status == 204)
    }

    @Test func aPostedEventIsRecordedForTheOrg() throws {
        let server = try TestServer()
        #expect(try server.sysadmin().postEvent(eventXML()).status == 204)
        let events = server.app.store.events(in: "26").events
        #expect(events.count == 1)
        #expect(events.first?.type == "backupComplete")
        #expect(events.first?.serviceNamespace == "org.example.vcd.backup")
        #expect(events.first?.success == true)
        #expect(events.first?.typeFull == "Backup finished")
    }

    @Test func aRejectedEventIsNotRecorded() throws {
        let server = try TestServer()
        #expect(try server.sysadmin().postEvent(eventXML(#"serviceNamespace="org.example.vcd.backup" success="true""#)).status == 400)
        #expect(server.app.store.events(in: "26").events.isEmpty)
    }

    @Test func creatingAServiceTaskRecordsAnEventInItsOrg() throws {
        // Guide 5.5 p.340: vCD "records an event in the org's event stream" when a service posts a task.
        let server = try TestServer()
        #expect(try server.sysadmin().postTask(taskXML()).status == 200)
        let events = server.app.store.events(in: "26").events
        #expect(events.contains { $0.serviceNamespace == "org.example.vcd.backup" })
    }

    // MARK: Rejected events

    @Test func anEventWithoutTypeGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postEvent(eventXML(#"serviceNamespace="org.example.vcd.backup" success="true""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func anEventTypeInVMwaresNamespaceGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postEvent(eventXML(
            #"type="com/vmware/vcloud/event/vm/create" serviceNamespace="org.example.vcd.backup" success="true""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func anEventTypeOver128CharactersGives400() throws {
        let server = try TestServer()
        let long = String(repeating: "t", count: 129)
        let r = try server.sysadmin().postEvent(eventXML(#"type="\#(long)" serviceNamespace="org.example.vcd.backup" success="true""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func anEventSuccessThatIsNotABooleanGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postEvent(eventXML(#"type="backupComplete" serviceNamespace="org.example.vcd.backup" success="yes""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func anEventWithoutServiceNamespaceGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postEvent(eventXML(#"type="backupComplete" success="true""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func anEventServiceNamespaceInVMwaresNamespaceGives400() throws {
        let server = try TestServer()
        let r = try server.sysadmin().postEvent(eventXML(#"type="backupComplete" serviceNamespace="com.vmware.vcloud.backup" success="true""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func anEventTypeFullOver2000CharactersGives400() throws {
        let server = try TestServer()
        let long = String(repeating: "f", count: 2001)
        let r = try server.sysadmin().postEvent(eventXML(
            #"type="backupComplete" serviceNamespace="org.example.vcd.backup" success="true" typeFull="\#(long)""#))
        try expectVCDError(r, 400, "BAD_REQUEST")
    }

    @Test func aTaskBodyPostedAsAnEventGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postEvent(taskXML()), 400, "BAD_REQUEST")
    }

    @Test func malformedEventXMLGives400() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postEvent("<Event"), 400, "BAD_REQUEST")
    }

    @Test func anEventWithTheTaskMediaTypeGives415() throws {
        let server = try TestServer()
        try expectVCDError(server.sysadmin().postEvent(eventXML(), contentType: MediaType.task), 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    // MARK: Who may post

    @Test func orgAdministratorGets403EvenForTheirOwnOrg() throws {
        let server = try TestServer()
        try expectVCDError(server.alice().postEvent(eventXML()), 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(server.app.store.events(in: "26").events.map(\.type) == [EventType.sessionLogin], "only alice's login")
    }

    @Test func postingToAnUnknownOrgGives403() throws {
        let server = try TestServer()
        try expectNoAccess(server.sysadmin().postEvent(eventXML(), org: "no-such-org"), "org", "no-such-org")
    }

    @Test func eventsCannotBeReadAtTheirPostURL() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("GET", "/api/admin/org/26/events")
        try expectVCDError(r, 405, "METHOD_NOT_ALLOWED")
        #expect(r.header("Allow") == "POST")
    }
}

/// The attributes of a valid Event body.
let eventXMLDefaults = #"type="backupComplete" serviceNamespace="org.example.vcd.backup" success="true" typeFull="Backup finished""#
