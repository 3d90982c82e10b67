import Testing
import VCDCore
import VCDXML

/// Session, Org, AdminOrg, Error and friends: links, child order (§1.7, §2.2, §3) and absolute hrefs.
@Suite struct DocumentsTests {
    static let base = "https://vcd.example.test:8443"
    let hrefs = Hrefs(base: DocumentsTests.base)
    let store: Store
    let sysadmin: Principal
    let alice: Principal

    static let acme = Org(
        id: "26", name: "acme", fullName: "Acme Corporation", description: "Tenant org",
        users: [User(id: "u-alice", name: "alice", password: "alice", role: .orgAdministrator),
                User(id: "u-dave", name: "dave", password: "dave", role: .user)],
        vdcs: [InventoryItem(kind: .vdc, id: "31", name: "acme-vdc")],
        catalogs: [InventoryItem(kind: .catalog, id: "32", name: "acme-catalog")],
        networks: [InventoryItem(kind: .network, id: "33", name: "acme-net")],
        metadata: [MetadataEntry(key: "costCenter", value: "4711")])
    static let system = Org(id: "sys", name: "System", users: [
        User(id: "u-admin", name: "administrator", password: "vmware", role: .systemAdministrator),
    ])

    init() throws {
        VCDXML.XMLReader.initialize()
        store = Store(orgs: [Self.system, Self.acme])
        sysadmin = try store.login(user: "administrator", org: "System", password: "vmware")
        alice = try store.login(user: "alice", org: "acme", password: "alice")
    }

    func parse(_ bytes: [UInt8]) throws -> ParsedElement { try VCDXML.XMLReader.parse(bytes) }

    func links(_ e: ParsedElement) -> [String] {
        e.children("Link").map { "\($0["rel"] ?? "-") \($0["type"] ?? "-") \($0["href"] ?? "-")" }
    }

    // MARK: Session

    @Test func sessionNamesTheUserOrgAndUserURN() throws {
        let root = try parse(SessionDocument.session(sysadmin, hrefs: hrefs))
        #expect(root.name == "Session")
        #expect(root.namespace == Namespace.vcloud)
        #expect(root.attributes == [
            "href": "https://vcd.example.test:8443/api/session/", "type": "application/vnd.vmware.vcloud.session+xml",
            "user": "administrator", "org": "System", "userId": "urn:vcloud:user:u-admin",
        ])
    }

    @Test func sessionHasExactlyOneLinkPerRelAndType() throws {
        for p in [sysadmin, alice] {
            let pairs = try parse(SessionDocument.session(p, hrefs: hrefs)).children("Link")
                .map { "\($0["rel"] ?? "") \($0["type"] ?? "")" }
            #expect(Set(pairs).count == pairs.count, "\(pairs)")
        }
    }

    @Test func sysadminSessionLinksToAdminAndExtension() throws {
        let l = links(try parse(SessionDocument.session(sysadmin, hrefs: hrefs)))
        #expect(l.contains("down application/vnd.vmware.admin.vcloud+xml https://vcd.example.test:8443/api/admin/"))
        #expect(l.contains("down application/vnd.vmware.admin.vmwExtension+xml https://vcd.example.test:8443/api/admin/extension"))
    }

    @Test func tenantSessionHasNoSysadminLinks() throws {
        let types = try parse(SessionDocument.session(alice, hrefs: hrefs)).children("Link").compactMap { $0["type"] }
        #expect(!types.contains("application/vnd.vmware.admin.vcloud+xml"))
        #expect(!types.contains("application/vnd.vmware.admin.vmwExtension+xml"))
    }

    @Test func everySessionLinksToOrgListLogoutAndItsOwnOrg() throws {
        let root = try parse(SessionDocument.session(alice, hrefs: hrefs))
        let l = links(root)
        #expect(l.contains("down application/vnd.vmware.vcloud.orgList+xml https://vcd.example.test:8443/api/org/"))
        #expect(l.contains("remove - https://vcd.example.test:8443/api/session/"))
        let org = root.children("Link").first { $0["type"] == MediaType.org }
        #expect(org?.attributes == [
            "rel": "down", "type": "application/vnd.vmware.vcloud.org+xml", "name": "acme",
            "href": "https://vcd.example.test:8443/api/org/26",
        ])
    }

    // MARK: Org (user view)

    @Test func orgChildrenAreLinksThenDescriptionThenFullName() throws {
        let root = try parse(OrgDocument.org(Self.acme, hrefs: hrefs))
        #expect(root.children.map(\.name) == ["Link", "Link", "Link", "Link", "Link", "Description", "FullName"])
        #expect(root.child("Description")?.text == "Tenant org")
        #expect(root.child("FullName")?.text == "Acme Corporation")
    }

    @Test func orgWithoutDescriptionOmitsIt() throws {
        let org = Org(id: "9", name: "bare")
        #expect(try parse(OrgDocument.org(org, hrefs: hrefs)).children.map(\.name) == ["Link", "Link", "FullName"])
    }

    @Test func orgAttributesAndLinks() throws {
        let root = try parse(OrgDocument.org(Self.acme, hrefs: hrefs))
        #expect(root.attributes == [
            "href": "https://vcd.example.test:8443/api/org/26", "type": "application/vnd.vmware.vcloud.org+xml",
            "id": "urn:vcloud:org:26", "name": "acme",
        ])
        #expect(links(root) == [
            "down application/vnd.vmware.vcloud.vdc+xml https://vcd.example.test:8443/api/vdc/31",
            "down application/vnd.vmware.vcloud.tasksList+xml https://vcd.example.test:8443/api/tasksList/26",
            "down application/vnd.vmware.vcloud.catalog+xml https://vcd.example.test:8443/api/catalog/32",
            "down application/vnd.vmware.vcloud.orgNetwork+xml https://vcd.example.test:8443/api/network/33",
            "down application/vnd.vmware.vcloud.metadata+xml https://vcd.example.test:8443/api/org/26/metadata",
        ])
    }

    // MARK: AdminOrg

    @Test func adminOrgChildrenFollowTheSchemaOrder() throws {
        let names = try parse(OrgDocument.adminOrg(Self.acme, hrefs: hrefs)).children.map(\.name)
        let firstNonLink = try #require(names.firstIndex { $0 != "Link" })
        #expect(!names[firstNonLink...].contains("Link"), "Links come first: \(names)")
        #expect(Array(names[firstNonLink...]) == [
            "Description", "FullName", "IsEnabled", "Settings", "Users", "Groups", "Catalogs", "Vdcs", "Networks",
        ])
    }

    @Test func adminOrgOffersTaskAndEventCreation() throws {
        let l = links(try parse(OrgDocument.adminOrg(Self.acme, hrefs: hrefs)))
        #expect(l.contains("task:create application/vnd.vmware.vcloud.task+xml https://vcd.example.test:8443/api/tasksList/26"))
        #expect(l.contains("event:create application/vnd.vmware.vcloud.event+xml https://vcd.example.test:8443/api/admin/org/26/events"))
        #expect(l.contains("down application/vnd.vmware.vcloud.tasksList+xml https://vcd.example.test:8443/api/tasksList/26"))
    }

    @Test func adminOrgListsUsersCatalogsVdcsAndNetworks() throws {
        let root = try parse(OrgDocument.adminOrg(Self.acme, hrefs: hrefs))
        #expect(root.child("Users")?.children.map { $0["name"] } == ["alice", "dave"])
        #expect(root.child("Users")?.children.first?.attributes == [
            "type": "application/vnd.vmware.admin.user+xml", "name": "alice",
            "href": "https://vcd.example.test:8443/api/admin/user/u-alice",
        ])
        #expect(root.child("Catalogs")?.children.first?["href"] == "https://vcd.example.test:8443/api/admin/catalog/32")
        #expect(root.child("Vdcs")?.children.first?["href"] == "https://vcd.example.test:8443/api/vdc/31")
        #expect(root.child("Networks")?.children.first?["href"] == "https://vcd.example.test:8443/api/admin/network/33")
        #expect(root.child("Groups")?.children.isEmpty == true)
    }

    @Test func adminOrgShowsWhetherTheOrgIsEnabled() throws {
        var org = Self.acme
        #expect(try parse(OrgDocument.adminOrg(org, hrefs: hrefs)).child("IsEnabled")?.text == "true")
        org.enabled = false
        #expect(try parse(OrgDocument.adminOrg(org, hrefs: hrefs)).child("IsEnabled")?.text == "false")
    }

    // MARK: Error

    @Test func errorElementCarriesExactlyTheThreeRequiredAttributes() throws {
        let message = "No access to entity \"com.vmware.vcloud.entity.org:99\"."
        let root = try parse(ErrorDocument.encode(status: 403, minorCode: "ACCESS_TO_RESOURCE_IS_FORBIDDEN", message: message))
        #expect(root.name == "Error")
        #expect(root.namespace == "http://www.vmware.com/vcloud/v1.5")
        #expect(root.attributes == [
            "majorErrorCode": "403", "minorErrorCode": "ACCESS_TO_RESOURCE_IS_FORBIDDEN", "message": message,
        ])
        #expect(root.children.isEmpty)
    }

    @Test func errorDocumentIsAnXMLDocumentInUTF8() {
        let xml = String(decoding: ErrorDocument.encode(status: 500, minorCode: "INTERNAL_SERVER_ERROR", message: "é"),
                         as: UTF8.self)
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    }

    // MARK: Absolute hrefs

    func everyDocument(_ hrefs: Hrefs) -> [(String, [UInt8])] {
        var task = VCDCore.CloudTask(id: "604", orgID: "26", name: "task", status: .running,
                                startTime: Timestamp(milliseconds: 0), expiryTime: Timestamp(milliseconds: 0))
        task.user = .user(id: "u-alice", name: "alice")
        task.organization = .org(id: "26", name: "acme")
        let orgs = [Self.system, Self.acme]
        var docs: [(String, [UInt8])] = [
            ("versions", SessionDocument.versions(["5.5"], hrefs: hrefs)),
            ("sysadmin session", SessionDocument.session(sysadmin, hrefs: hrefs)),
            ("tenant session", SessionDocument.session(alice, hrefs: hrefs)),
            ("orgList", OrgDocument.orgList(orgs, hrefs: hrefs)),
            ("org", OrgDocument.org(Self.acme, hrefs: hrefs)),
            ("vcloud", OrgDocument.vcloud(orgs, hrefs: hrefs)),
            ("adminOrg", OrgDocument.adminOrg(Self.acme, hrefs: hrefs)),
            ("task", TaskDocument.task(task, hrefs: hrefs)),
            ("tasksList", TaskDocument.tasksList(orgID: "26", tasks: [task], hrefs: hrefs)),
            ("user", InventoryDocument.user(Self.acme.users[0], org: Self.acme, hrefs: hrefs)),
            ("metadata", InventoryDocument.metadata(Self.acme, admin: false, hrefs: hrefs)),
            ("admin metadata", InventoryDocument.metadata(Self.acme, admin: true, hrefs: hrefs)),
            ("extension", InventoryDocument.vmwExtension(hrefs: hrefs)),
            ("queryList", QueryDocument.queryList([], hrefs: hrefs)),
        ]
        for item in Self.acme.vdcs + Self.acme.catalogs + Self.acme.networks {
            for admin in [false, true] {
                docs.append(("\(item.kind) admin=\(admin)", InventoryDocument.item(item, org: Self.acme, admin: admin, hrefs: hrefs)))
            }
        }
        return docs
    }

    func allHrefs(_ e: ParsedElement) -> [String] {
        [e["href"], e.name == "LoginUrl" ? e.text : nil].compactMap { $0 } + e.children.flatMap(allHrefs)
    }

    @Test func everyHrefIsAbsoluteUnderTheBase() throws {
        for (name, bytes) in everyDocument(hrefs) {
            let found = allHrefs(try parse(bytes))
            #expect(!found.isEmpty, "\(name) has hrefs")
            for href in found {
                #expect(href.hasPrefix("https://vcd.example.test:8443/api/"), "\(name): \(href)")
            }
        }
    }

    @Test func baseWithTrailingSlashGivesNoDoubleSlash() throws {
        let slashed = Hrefs(base: "https://vcd.example.test:8443/")
        for (name, bytes) in everyDocument(slashed) {
            for href in allHrefs(try parse(bytes)) {
                #expect(href.hasPrefix("https://vcd.example.test:8443/api/"), "\(name): \(href)")
                #expect(!href.dropFirst("https://".count).contains("//"), "\(name): \(href)")
            }
        }
    }
}
