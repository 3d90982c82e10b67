import Testing
import VCDCore
import VCDXML

/// Every href the mock emits resolves: starting at the Session, follow them all.
@Suite struct CrawlerTests {
    /// Links whose href takes another method (POST); GET there must say 405, never 404.
    /// (`test`: AmqpSettings' action, reached through SystemSettings.)
    /// vApp actions: `add` (instantiate), power, deploy and undeploy.
    static let actionRels: Set<String> = ["event:create", "task:cancel", "test", "add", "deploy", "undeploy", "power:powerOn",
                                          "power:powerOff", "power:reboot", "power:reset", "power:shutdown", "power:suspend"]

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
        let visited = try crawl(server, client, ownIDs: ownIDs(server, org: org), plainUser: user == "carol")
        #expect(visited.count >= 8, "crawled \(visited.count) hrefs")
    }

    /// Tasks and events so the crawl also meets task, user and owner hrefs.
    func seed(_ server: TestServer) throws {
        let admin = try server.sysadmin()
        for org in server.app.store.allOrgs where !org.isSystem {
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

    /// Breadth-first over every href attribute; returns the visited hrefs.
    /// A plain (non-admin) user may meet admin hrefs (e.g. a task's User) and is refused them, as in vCD.
    func crawl(_ server: TestServer, _ client: TestClient, ownIDs: Set<String>?, plainUser: Bool = false) throws -> Set<String> {
        let session = try client.send("GET", "/api/session")
        try #require(session.status == 200)
        var queue: [(href: String, rel: String?)] = try hrefs(in: session.xml())
        var visited: Set<String> = []
        while let (href, rel) = queue.first {
            queue.removeFirst()
            guard visited.insert(href).inserted else { continue }
            #expect(href.hasPrefix(server.base + "/api/"), "href must be absolute under the base: \(href)")
            let r = try client.send("GET", href)
            if let rel, Self.actionRels.contains(rel) {
                #expect(r.status == 405, "\(rel) \(href) -> \(r.status)")
                continue
            }
            if r.status == 403, let ownIDs, !isOwn(href, ownIDs) { continue }
            if r.status == 403, plainUser, href.hasPrefix(server.base + "/api/admin/") { continue }
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
