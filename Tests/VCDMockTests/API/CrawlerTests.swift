import Testing
import VCDCore
import VCDXML

/// Every href the mock emits resolves: starting at the Session, follow them all. No link may be given to a
/// user for whom following it fails; the only 403s allowed are references to other orgs' users.
@Suite struct CrawlerTests {
    /// Links whose href takes another method (POST); GET there must say 405, never 404.
    /// (`test`: AmqpSettings' action, reached through SystemSettings.)
    /// POST-only rels: admin actions, and vApp actions (`add` is instantiate, power, deploy and undeploy).
    static let actionRels: Set<String> = ["event:create", "task:cancel", "test", "enable", "disable", "add", "deploy",
                                          "undeploy", "power:powerOn", "power:powerOff", "power:reboot", "power:reset",
                                          "power:shutdown", "power:suspend"]

    @Test func sysadminFindsNoDanglingHref() throws {
        let server = try TestServer()
        try seed(server)
        let visited = try crawl(server, try server.sysadmin(), ownIDs: nil)
        #expect(visited.count >= 25, "crawled \(visited.count) hrefs")
    }

    @Test(arguments: [("alice", "acme"), ("bob", "globex"), ("carol", "globex")])
    func tenantFindsNoDanglingHref(user: String, org: String) throws {
        let server = try TestServer()
        try seed(server)
        let client = try server.login(user, org, user)
        let visited = try crawl(server, client, ownIDs: ownIDs(server, org: org))
        #expect(visited.count >= 8, "crawled \(visited.count) hrefs")
    }

    /// Tasks, metadata and a created org and user so the crawl also meets task, user, owner, role and
    /// metadata hrefs and every admin link.
    func seed(_ server: TestServer) throws {
        let admin = try server.sysadmin()
        let created = try admin.send("POST", "/api/admin/orgs", xml: """
            <AdminOrg xmlns="http://www.vmware.com/vcloud/v1.5" name="crawled"><FullName>Crawled</FullName><IsEnabled>false</IsEnabled>
            <Settings/></AdminOrg>
            """, contentType: MediaType.adminOrg)
        try #require(created.status == 201)
        for org in server.app.store.allOrgs where !org.isSystem {
            let m = try admin.send("POST", "/api/org/\(org.id)/metadata", xml: """
                <Metadata xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                <MetadataEntry><Key>crawl</Key><TypedValue xsi:type="MetadataNumberValue"><Value>1</Value></TypedValue></MetadataEntry>
                <MetadataEntry><Domain visibility="READONLY">SYSTEM</Domain><Key>tier</Key>
                <TypedValue xsi:type="MetadataStringValue"><Value>gold</Value></TypedValue></MetadataEntry></Metadata>
                """, contentType: MediaType.metadata)
            try #require(m.status == 202)
            let r = try admin.send("POST", "/api/tasksList/\(org.id)", xml: """
                <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example.crawl">
                <Owner href="\(server.base)/api/org/\(org.id)" name="\(org.name)" type="\(MediaType.org)"/></Task>
                """, contentType: MediaType.task)
            try #require(r.status == 200)
        }
    }

    /// Ids of everything in the tenant's own org: those hrefs must answer 200, others may answer 403.
    func ownIDs(_ server: TestServer, org name: String) throws -> Set<String> {
        let org = try #require(server.app.store.allOrgs.first { $0.name == name })
        var ids: Set<String> = [org.id]
        ids.formUnion(org.users.map(\.id))
        for kind in InventoryItem.Kind.allCases { ids.formUnion(org.items(kind).map(\.id)) }
        let admin = try server.sysadmin()
        let tasks = try admin.send("GET", "/api/tasksList/\(org.id)").xml()
        ids.formUnion(tasks.children("Task").compactMap { $0["id"]?.split(separator: ":").last.map(String.init) })
        return ids
    }

    /// Breadth-first over every href attribute; returns the visited hrefs. The entity resolver's link is a
    /// prefix: the session's own user URN is resolved through it instead.
    func crawl(_ server: TestServer, _ client: TestClient, ownIDs: Set<String>?) throws -> Set<String> {
        let session = try client.send("GET", "/api/session")
        try #require(session.status == 200)
        let root = try session.xml()
        let resolver = try #require(root.link(rel: "entityResolver", type: MediaType.entity)?["href"])
        var queue: [(href: String, rel: String?)] = [(resolver + (root["userId"] ?? ""), nil)] + hrefs(in: root)
        var visited: Set<String> = []
        while let (href, rel) = queue.first {
            queue.removeFirst()
            guard rel != "entityResolver", visited.insert(href).inserted else { continue }
            #expect(href.hasPrefix(server.base + "/api/"), "href must be absolute under the base: \(href)")
            let r = try client.send("GET", href)
            if let rel, Self.actionRels.contains(rel) || (rel == "add" && r.status == 405) {
                #expect(r.status == 405, "\(rel) \(href) -> \(r.status)")
                continue
            }
            if r.status == 403, let ownIDs, href.hasPrefix(server.base + "/api/admin/user/"), !isOwn(href, ownIDs) { continue }
            #expect(r.status == 200, "GET \(href) (rel \(rel ?? "-")) -> \(r.status) \(r.text)")
            if r.status == 200 { queue += try hrefs(in: r.xml()) }
        }
        return visited
    }

    func isOwn(_ href: String, _ ids: Set<String>) -> Bool {
        href.split(separator: "/").contains { ids.contains(String($0)) }
    }

    func hrefs(in element: ParsedElement) -> [(href: String, rel: String?)] {
        var out: [(String, String?)] = []
        if let href = element["href"] { out.append((href, element.name == "Link" ? element["rel"] : nil)) }
        for child in element.children { out += hrefs(in: child) }
        return out
    }
}
