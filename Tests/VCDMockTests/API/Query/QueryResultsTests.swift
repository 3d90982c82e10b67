import Testing
import VCDCore
import VCDXML

/// Typed query answers (reference §7.3): paging links and totals, sorting, fields, the three formats and
/// every type's records, over tasks and events created through the API.
@Suite struct QueryResultsTests {
    let server: TestServer
    let admin: TestClient

    /// Seven running tasks in acme named t1...t7 with progress 1...7 (so sorts have something to do).
    init() throws {
        server = try TestServer()
        admin = try server.sysadmin()
        for n in 1...7 {
            let r = try admin.postTask(taskXML(#"name="t\#(n)" status="running" serviceNamespace="org.example.q""#,
                                               "<Progress>\(n)</Progress>"))
            try #require(r.status == 200)
        }
    }

    func query(_ q: String, _ c: TestClient? = nil) throws -> ParsedElement {
        let r = try (c ?? admin).send("GET", "/api/query?" + q)
        try #require(r.status == 200, "\(q): \(r.status) \(r.text)")
        return try r.xml()
    }

    func rows(_ root: ParsedElement) -> [ParsedElement] { root.children.filter { $0.name != "Link" } }

    func link(_ root: ParsedElement, _ rel: String) -> String? { root.children("Link").first { $0["rel"] == rel }?["href"] }

    @Test func pagesWalkEveryRecordOnceWithTotalsAndLinks() throws {
        let base = "type=task&filter=serviceNamespace==org.example.q&pageSize=3&sortAsc=name"
        let first = try query(base)
        #expect(first.name == "QueryResultRecords")
        #expect(first["total"] == "7" && first["page"] == "1" && first["pageSize"] == "3" && first["name"] == "task")
        #expect(link(first, "previousPage") == nil && link(first, "firstPage") == nil)
        #expect(link(first, "lastPage")?.contains("page=3&") == true)
        var seen: [String] = []
        var next: String? = server.url("/api/query?" + base)
        var pages = 0
        while let href = next {
            let page = try admin.send("GET", href).xml()
            seen += rows(page).compactMap { $0["name"] }
            next = link(page, "nextPage")
            pages += 1
            try #require(pages <= 3, "nextPage must stop after the last page")
        }
        #expect(seen == ["t1", "t2", "t3", "t4", "t5", "t6", "t7"])
        let second = try query(base + "&page=2")
        #expect(link(second, "firstPage")?.contains("page=1&") == true)
        #expect(link(second, "previousPage")?.contains("page=1&") == true)
        #expect(link(second, "nextPage")?.contains("filter=serviceNamespace==org.example.q") == true, "links keep the filter")
    }

    @Test func aPagePastTheEndIsEmpty() throws {
        let page = try query("type=task&pageSize=5&page=9")
        #expect(rows(page).isEmpty)
        #expect(page["total"] == "8" && page["page"] == "9")
        #expect(link(page, "nextPage") == nil)
        #expect(link(page, "previousPage")?.contains("page=2&") == true, "previous points at the last real page")
    }

    @Test func offsetSkipsMatchesBeforePageOne() throws {
        let page = try query("type=task&filter=serviceNamespace==org.example.q&sortAsc=name&offset=5")
        #expect(rows(page).map { $0["name"] } == ["t6", "t7"])
    }

    @Test func sortsAscendingAndDescendingByAnyAttribute() throws {
        let filter = "type=task&filter=serviceNamespace==org.example.q"
        #expect(rows(try query(filter + "&sortDesc=progress")).compactMap { $0["progress"] }.map { Int($0) ?? 0 }
                == [7, 6, 5, 4, 3, 2, 1])
        #expect(rows(try query(filter + "&sortAsc=progress")).compactMap { $0["name"] } == ["t1", "t2", "t3", "t4", "t5", "t6", "t7"])
        // Equal keys keep creation order in both directions (a stable sort).
        #expect(rows(try query(filter + "&sortDesc=status")).compactMap { $0["name"] } == ["t1", "t2", "t3", "t4", "t5", "t6", "t7"])
    }

    @Test func fieldsLimitTheAttributes() throws {
        let records = rows(try query("type=task&fields=name,status&filter=name==t1"))
        let record = try #require(records.first)
        #expect(Set(record.attributes.keys) == ["href", "name", "status"])
        let id = rows(try query("type=task&format=idrecords&fields=org&filter=name==t1")).first
        #expect(Set(id?.attributes.keys ?? [:].keys) == ["href", "id", "org"])
        #expect(id?["org"] == "urn:vcloud:org:26", "idrecords show references as URNs")
    }

    @Test func threeFormatsWithAlternateLinks() throws {
        let records = try query("type=task&filter=name==t2")
        let rec = try #require(rows(records).first)
        #expect(rec.name == "TaskRecord" && rec["id"] == nil && rec["org"] == server.url("/api/org/26"))
        #expect(records.children("Link").filter { $0["rel"] == "alternate" }.map { $0["type"] }
                == [MediaType.queryIDRecords, MediaType.queryReferences])
        let ids = try query("type=task&format=idrecords&filter=name==t2")
        let idRec = try #require(rows(ids).first)
        #expect(idRec["id"]?.hasPrefix("urn:vcloud:task:") == true && idRec["href"] == rec["href"])
        let refs = try query("type=task&format=references&filter=name==t2")
        #expect(refs.name == "TaskReferences" && refs["type"] == MediaType.queryReferences)
        let ref = try #require(rows(refs).first)
        #expect(ref.name == "TaskReference" && ref["type"] == MediaType.task && ref["name"] == "t2" && ref["href"] == rec["href"])
        let linked = try #require(rows(try query("type=task&filter=name==t2&links=true")).first)
        #expect(linked.children("Link").first?["href"] == rec["href"])
    }

    @Test func recordedEventsReadBack() throws {
        let task = try admin.postTask(taskXML(#"name="ev" status="running" serviceNamespace="org.example.ev""#)).xml()
        let href = try #require(task["href"])
        try #require(try admin.putTask(href, taskXML(#"name="ev" status="success" serviceNamespace="org.example.ev""#)).status == 200)
        try #require(try admin.postEvent(eventXML()).status == 204)
        let events = rows(try query("type=adminEvent&filter=entity==" + href + "&sortAsc=timeStamp"))
        #expect(events.map { $0["eventType"] } == [EventType.taskCreate, EventType.taskComplete])
        #expect(events.allSatisfy { $0["entityType"] == "task" && $0["entityName"] == "ev" && $0["orgName"] == "acme"
            && $0["serviceNamespace"] == "org.example.ev" && $0["eventStatus"] == "0" && $0["userName"] == "administrator"
            && $0["org"] == server.url("/api/org/26") && $0["eventId"] != nil && $0["href"] == nil })
        let posted = rows(try query("type=event&filter=eventType==backupComplete&format=idrecords", server.alice()))
        #expect(posted.count == 1 && posted.first?["id"]?.hasPrefix("urn:vcloud:event:") == true)
        let logins = rows(try query("type=adminEvent&filter=eventType==*session/login;userName==alice"))
        #expect(logins.count == 1 && logins.first?["entityType"] == "user")
    }

    /// Every type answers in every format with records of its own element name.
    static let elements: [(String, String, String)] = [
        ("organization", "OrgRecord", "OrganizationReference"), ("task", "TaskRecord", "TaskReference"),
        ("adminTask", "AdminTaskRecord", "AdminTaskReference"), ("event", "EventRecord", "EventReference"),
        ("adminEvent", "AdminEventRecord", "AdminEventReference"), ("user", "UserRecord", "UserReference"),
        ("adminUser", "AdminUserRecord", "AdminUserReference"), ("catalog", "CatalogRecord", "CatalogReference"),
        ("adminCatalog", "AdminCatalogRecord", "AdminCatalogReference"), ("orgVdc", "OrgVdcRecord", "OrgVdcReference"),
        ("adminOrgVdc", "AdminVdcRecord", "AdminVdcReference"), ("vdc", "OrgVdcRecord", "OrgVdcReference"),
        ("orgNetwork", "OrgNetworkRecord", "OrgNetworkReference"),
        ("adminOrgNetwork", "AdminOrgNetworkRecord", "AdminOrgNetworkReference"),
        ("role", "RoleRecord", "RoleReference"), ("adminRole", "AdminRoleRecord", "AdminRoleReference"),
    ]

    @Test(arguments: elements)
    func everyTypeAnswersInEveryFormat(type: String, record: String, reference: String) throws {
        for format in ["records", "idrecords", "references"] {
            let root = try query("type=\(type)&format=\(format)")
            let found = rows(root)
            #expect(!found.isEmpty, "\(type) \(format)")
            #expect(found.allSatisfy { $0.name == (format == "references" ? reference : record) }, "\(type) \(format)")
            #expect(Int(root["total"] ?? "") == found.count)
            if format == "idrecords" { #expect(found.allSatisfy { $0["id"]?.hasPrefix("urn:vcloud:") == true }) }
        }
    }

    @Test func rolesOfAnOrg() throws {
        let roles = rows(try query("type=adminRole&format=idrecords&filter=org==26&sortAsc=name"))
        #expect(roles.map { $0["name"] } == ["Organization Administrator", "System Administrator", "vApp User"])
        #expect(roles.allSatisfy { $0["orgName"] == "acme" && $0["id"]?.hasPrefix("urn:vcloud:role:") == true })
        let href = try #require(roles.first?["href"])
        #expect(href == server.url("/api/admin/role/org-administrator"))
        #expect(try admin.send("GET", href).xml()["name"] == "Organization Administrator")
        #expect(try server.carol().send("GET", href).status == 403, "plain users may not read roles")
        #expect(rows(try query("type=role", server.alice())).count == 3)
    }

    @Test func extensionServicesAndTheirFilters() throws {
        let body = serviceXML(name: "q-ext", namespace: "q-ns", routingKey: "q-key", filters: ["/api/q/.*"])
        let r = try admin.send("POST", "/api/admin/extension/service", xml: body, contentType: MediaType.service)
        try #require(r.status == 201, "\(r.text)")
        let service = try #require(rows(try query("type=adminService&format=idrecords&filter=namespace==q-ns")).first)
        #expect(service["name"] == "q-ext" && service["routingKey"] == "q-key" && service["enabled"] == "true")
        let id = try #require(service["id"]?.split(separator: ":").last.map(String.init))
        #expect(service["id"] == "urn:vcloud:externalService:\(id)")
        let filters = rows(try query("type=apiFilter&format=idrecords&filter=service==\(id)"))
        #expect(filters.map { $0["urlPattern"] } == ["/api/q/.*"])
        #expect(filters.first?["service"] == "urn:vcloud:externalService:\(id)")
    }
}
