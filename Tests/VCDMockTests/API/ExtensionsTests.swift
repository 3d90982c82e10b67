import Foundation
import Testing
import VCDCore
import VCDXML

/// Extension-service registration over HTTP (reference §5.1–§5.4): every route, its errors and the links.
@Suite struct ExtensionsTests {
    static let list = "/api/admin/extension/service"
    static let backupPattern = "/api/org/[^/]+/backups(/.*)?"

    // MARK: Discovery

    @Test func extensionRootLinksToServicesAndSettings() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let root = try admin.send("GET", "/api/admin/extension").xml()
        #expect(root.link(rel: "down", type: MediaType.extensionServices)?["href"] == server.url(Self.list))
        let settingsHref = try #require(root.link(rel: "down", type: MediaType.systemSettings)?["href"])
        let settings = try expectVmext(admin.send("GET", settingsHref), 200, MediaType.systemSettings, "SystemSettings")
        for type in [MediaType.amqpSettings, MediaType.notificationsSettings] {
            let href = try #require(settings.link(rel: "down", type: type)?["href"])
            #expect(try admin.send("GET", href).status == 200, "\(href)")
        }
    }

    @Test func emptyListCarriesTheAddLinkPyvcloudRegistersThrough() throws {
        let server = try TestServer()
        let doc = try expectVmext(server.sysadmin().send("GET", Self.list), 200, MediaType.extensionServices, "ExtensionServices")
        #expect(doc["href"] == server.url(Self.list))
        let add = try #require(doc.link(rel: "add", type: MediaType.service))
        #expect(add.namespace == Namespace.vcloud)
        #expect(add["href"] == server.url(Self.list))
        #expect(doc.children("Service").isEmpty)
    }

    // MARK: Register

    @Test func registerAnswers201WithTheFullServiceAndLocation() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", Self.list, xml: serviceXML(description: "Backups", vendor: "Example"),
                                           contentType: MediaType.service)
        let s = try expectVmext(r, 201, MediaType.service, "Service")
        let id = try #require(s["id"])
        #expect(id.hasPrefix("urn:vcloud:externalService:"))
        let uuid = String(id.dropFirst("urn:vcloud:externalService:".count))
        #expect(uuid.count == 36)
        #expect(s["href"] == server.url(Self.list + "/" + uuid))
        #expect(r.header("Location") == s["href"])
        #expect(s["name"] == "backup")
        #expect(s.childSequence == ["Link", "Description", "Namespace", "Enabled", "AuthorizationEnabled", "RoutingKey",
                                    "Priority", "Exchange", "Vendor", "ApiFilters"])
        #expect(s.child("Description")?.namespace == Namespace.vcloud)
        #expect(s.children.filter { $0.name != "Link" && $0.name != "Description" }.allSatisfy { $0.namespace == Namespace.vmext })
        #expect(s.child("Namespace")?.text == "org.example.vcd.backup")
        #expect(s.child("Enabled")?.text == "true")
        #expect(s.child("Priority")?.text == "50")
        let links = s.children("Link").map { "\($0["rel"] ?? "") \($0["type"] ?? "-") \(lastSegment($0["href"]))" }
        #expect(links == ["remove - \(uuid)", "edit \(MediaType.service) \(uuid)", "add \(MediaType.apiFilter) apifilters",
                          "down \(MediaType.apiFilters) apifilters"])
        let filter = try #require(s.child("ApiFilters")?.child("ApiFilter"))
        #expect(filter["id"]?.hasPrefix("urn:vcloud:apiFilter:") == true)
        #expect(filter.child("UrlPattern")?.text == Self.backupPattern)
    }

    @Test func registerThroughTheLinksLikePyvcloud() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let root = try admin.send("GET", "/api/admin/extension").xml()
        let listHref = try #require(root.link(rel: "down", type: MediaType.extensionServices)?["href"])
        let add = try #require(try admin.send("GET", listHref).xml().link(rel: "add", type: MediaType.service)?["href"])
        #expect(try admin.send("POST", add, xml: serviceXML(), contentType: MediaType.service).status == 201)
        let listed = try admin.send("GET", listHref).xml().children("Service")
        #expect(listed.map { $0["name"] } == ["backup"])
        #expect(listed.first?["type"] == MediaType.service)
        #expect(try admin.send("GET", try #require(listed.first?["href"])).status == 200)
    }

    @Test func everyLinkOfAServiceResolves() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let s = try register(admin)
        for href in s.children("Link").compactMap({ $0["href"] }) + [s.child("ApiFilters")?.child("ApiFilter")?["href"]].compactMap({ $0 }) {
            #expect(try admin.send("GET", href).status == 200, "\(href)")
        }
    }

    static let invalidBodies: [(String, String)] = [
        ("no name", serviceXML(name: nil)),
        ("no Namespace", serviceXML(namespace: nil)),
        ("no RoutingKey", serviceXML(routingKey: nil)),
        ("no Exchange", serviceXML(exchange: nil)),
        ("empty Exchange", serviceXML(exchange: " ")),
        ("Priority not a number", serviceXML(priority: "high")),
        ("Priority above 100", serviceXML(priority: "101")),
        ("Enabled not a boolean", serviceXML(enabled: "maybe")),
        ("ApiFilter without UrlPattern", serviceXML(filters: [], extra: "<vmext:ApiFilters><vmext:ApiFilter/></vmext:ApiFilters>")),
        ("Namespace in v1.5", serviceXML(namespace: nil, extra: "<Namespace>x</Namespace>")),
        ("Description in vmext", serviceXML(extra: "<vmext:Description>x</vmext:Description>")),
        ("a Task, not a Service", taskXML()),
        ("not XML", "<vmext:Service"),
    ]

    @Test(arguments: invalidBodies)
    func invalidRegistrationIs400AndRegistersNothing(_ why: String, _ body: String) throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", Self.list, xml: body, contentType: MediaType.service)
        try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(server.app.store.extensionServices.isEmpty, "\(why)")
    }

    @Test func aPatternThatDoesNotCompileIs400NamingPatternAndProblem() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", Self.list, xml: serviceXML(filters: ["/api/ok", "/api/(broken"]),
                                           contentType: MediaType.service)
        let message = try expectVCDError(r, 400, "BAD_REQUEST")["message"] ?? ""
        #expect(message.contains("\"/api/(broken\"") && message.contains("expected ')'"), "\(message)")
        #expect(server.app.store.extensionServices.isEmpty)
    }

    @Test func aDuplicateNamespaceIs409() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        _ = try register(admin)
        let r = try admin.send("POST", Self.list, xml: serviceXML(name: "other"), contentType: MediaType.service)
        let message = try expectVCDError(r, 409, "CONFLICT")["message"] ?? ""
        #expect(message.contains("org.example.vcd.backup"))
        #expect(server.app.store.extensionServices.count == 1)
    }

    @Test(arguments: [nil, "application/xml"])
    func registerNeedsTheServiceContentType(_ contentType: String?) throws {
        let server = try TestServer()
        let headers = contentType.map { ["Content-Type": $0] } ?? [:]
        let r = try server.sysadmin().send("POST", Self.list, headers: headers, body: Array(serviceXML().utf8))
        try expectVCDError(r, 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    // MARK: Update and delete

    @Test func putUpdatesEveryField() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin)["href"])
        let body = serviceXML(name: "renamed", namespace: "org.example.other", routingKey: "rk2", exchange: "ex2",
                              enabled: "false", priority: "80", description: "New", filters: [])
        let s = try expectVmext(admin.send("PUT", href, xml: body, contentType: MediaType.service), 200, MediaType.service, "Service")
        #expect(s["name"] == "renamed")
        let got = try admin.send("GET", href).xml()
        #expect(["Description", "Namespace", "Enabled", "RoutingKey", "Priority", "Exchange"].map { got.child($0)?.text ?? "" }
                == ["New", "org.example.other", "false", "rk2", "80", "ex2"])
        #expect(got.child("ApiFilters")?.children.count == 1, "PUT leaves the filters alone")
    }

    /// pyvcloud's `enable_extension(…, enabled=False)`: no Content-Type, v1.5 default namespace.
    @Test func putWithoutContentTypeWorksLikePyvcloud() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin)["href"])
        let r = try admin.send("PUT", href, body: Array(serviceXML(enabled: "false", filters: []).utf8))
        #expect(r.status == 200, "\(r.text)")
        #expect(try r.xml().child("Enabled")?.text == "false")
        #expect(server.app.store.extensionServices.first?.enabled == false)
    }

    @Test func putWithAWrongContentTypeIs415() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin)["href"])
        try expectVCDError(admin.send("PUT", href, xml: serviceXML(), contentType: MediaType.task), 415, "UNSUPPORTED_MEDIA_TYPE")
    }

    @Test func putCannotTakeAnotherServicesNamespaceNorEmptyFields() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        _ = try register(admin)
        let href = try #require(try register(admin, serviceXML(name: "b", namespace: "org.example.b"))["href"])
        try expectVCDError(admin.send("PUT", href, xml: serviceXML(name: "b"), contentType: MediaType.service), 409, "CONFLICT")
        try expectVCDError(admin.send("PUT", href, xml: serviceXML(name: "b", namespace: "org.example.b", routingKey: ""),
                                      contentType: MediaType.service), 400, "BAD_REQUEST")
        #expect(try admin.send("GET", href).xml().child("Namespace")?.text == "org.example.b")
    }

    @Test func deleteAnswers204AndTheServiceAndItsFiltersAreGone() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let s = try register(admin)
        let href = try #require(s["href"])
        let filterHref = try #require(s.child("ApiFilters")?.child("ApiFilter")?["href"])
        let r = try admin.send("DELETE", href + "?force=False&recursive=False")
        #expect(r.status == 204 && r.body.isEmpty)
        try expectNoAccess(admin.send("GET", href), "externalService", lastSegment(href))
        try expectNoAccess(admin.send("GET", filterHref), "apiFilter", lastSegment(filterHref))
        try expectNoAccess(admin.send("DELETE", href), "externalService", lastSegment(href))
        #expect(server.app.store.extensionServices.isEmpty)
    }

    @Test(arguments: ["GET", "PUT", "DELETE"])
    func unknownServiceIdIs403(_ method: String) throws {
        let server = try TestServer()
        let r = try server.sysadmin().send(method, Self.list + "/no-such-service", xml: serviceXML(), contentType: MediaType.service)
        try expectNoAccess(r, "externalService", "no-such-service")
    }

    // MARK: API filters

    @Test func filtersCanBeListedAddedReadAndRemoved() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin)["href"])
        let added = try admin.send("POST", href + "/apifilters", xml: filterXML("/api/cse/.*"), contentType: MediaType.apiFilter)
        let filter = try expectVmext(added, 201, MediaType.apiFilter, "ApiFilter")
        let filterHref = try #require(filter["href"])
        #expect(added.header("Location") == filterHref)
        #expect(filterHref.hasPrefix(server.url(Self.list + "/apifilter/")))
        #expect(filter["id"] == "urn:vcloud:apiFilter:" + lastSegment(filterHref))
        #expect(filter.childSequence == ["Link", "UrlPattern"])
        #expect(filter.link(rel: "remove", type: nil)?["href"] == filterHref)
        let listed = try expectVmext(admin.send("GET", href + "/apifilters"), 200, MediaType.apiFilters, "ApiFilters")
        #expect(listed["href"] == nil, "ApiFiltersType has no href")
        #expect(listed.children("ApiFilter").compactMap { $0.child("UrlPattern")?.text } == [Self.backupPattern, "/api/cse/.*"])
        #expect(try admin.send("GET", filterHref).xml().child("UrlPattern")?.text == "/api/cse/.*")
        #expect(try admin.send("DELETE", filterHref).status == 204)
        try expectNoAccess(admin.send("GET", filterHref), "apiFilter", lastSegment(filterHref))
        #expect(try admin.send("GET", href + "/apifilters").xml().children("ApiFilter").count == 1)
    }

    @Test func addingABadFilterIs400AndChangesNothing() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let href = try #require(try register(admin)["href"])
        for body in [filterXML("[unclosed"), #"<vmext:ApiFilter xmlns:vmext="\#(Namespace.vmext)"/>"#, filterXML("")] {
            try expectVCDError(admin.send("POST", href + "/apifilters", xml: body, contentType: MediaType.apiFilter), 400, "BAD_REQUEST")
        }
        try expectVCDError(admin.send("POST", href + "/apifilters", xml: filterXML("/x"), contentType: MediaType.service),
                           415, "UNSUPPORTED_MEDIA_TYPE")
        #expect(server.app.store.extensionServices.first?.filters.count == 1)
    }

    @Test func filtersOfAnUnknownServiceAre403() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        try expectNoAccess(admin.send("GET", Self.list + "/nope/apifilters"), "externalService", "nope")
        try expectNoAccess(admin.send("POST", Self.list + "/nope/apifilters", xml: filterXML("/x"), contentType: MediaType.apiFilter),
                           "externalService", "nope")
        try expectNoAccess(admin.send("DELETE", Self.list + "/apifilter/nope"), "apiFilter", "nope")
    }

    // MARK: Who may, and wrong methods or paths

    static let everyRoute = [
        "GET /api/admin/extension/settings", "GET \(list)", "POST \(list)", "GET \(list)/ID", "PUT \(list)/ID",
        "DELETE \(list)/ID", "GET \(list)/ID/apifilters", "POST \(list)/ID/apifilters", "GET \(list)/apifilter/FILTER",
        "DELETE \(list)/apifilter/FILTER",
    ]

    @Test(arguments: everyRoute)
    func tenantsAreRefused(_ route: String) throws {
        let server = try TestServer()
        let s = try register(server.sysadmin())
        let id = lastSegment(s["href"])
        let filter = lastSegment(s.child("ApiFilters")?.child("ApiFilter")?["href"])
        let parts = route.replacingOccurrences(of: "FILTER", with: filter).replacingOccurrences(of: "ID", with: id).split(separator: " ")
        let type = parts[1].hasSuffix("apifilters") ? MediaType.apiFilter : MediaType.service
        let body = parts[1].hasSuffix("apifilters") ? filterXML("/x") : serviceXML(name: "evil", namespace: "evil")
        for tenant in [try server.alice(), try server.carol()] {
            try expectVCDError(tenant.send(String(parts[0]), String(parts[1]), xml: body, contentType: type),
                               403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        }
        #expect(server.app.store.extensionServices.map(\.name) == ["backup"])
        #expect(server.app.store.extensionServices.first?.filters.count == 1)
    }

    @Test(arguments: [("PUT", list, "GET, POST"), ("POST", "\(list)/x", "GET, PUT, DELETE"),
                      ("PUT", "\(list)/apifilter/x", "GET, DELETE"), ("DELETE", "\(list)/x/apifilters", "GET, POST"),
                      ("PUT", "/api/admin/extension/settings", "GET")])
    func wrongMethodIs405WithAllow(_ method: String, _ path: String, _ allow: String) throws {
        let server = try TestServer()
        let r = try server.sysadmin().send(method, path, xml: serviceXML(), contentType: MediaType.service)
        try expectVCDError(r, 405, "METHOD_NOT_ALLOWED")
        #expect(r.header("Allow") == allow)
    }

    @Test(arguments: ["\(list)/x/apifilters/y", "\(list)/x/links", "/api/admin/extension/service/apifilter"])
    func unknownPathIs404Or403(_ path: String) throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("GET", path)
        // `…/service/apifilter` is a service id as far as the router knows: vCD's 403 for unknown ids.
        if path.hasSuffix("/apifilter") { try expectNoAccess(r, "externalService", "apifilter") } else {
            try expectVCDError(r, 404, "RESOURCE_NOT_FOUND")
        }
    }
}

// MARK: - Helpers shared with ExtensionsMatchingTests

/// A `vmext:Service` body as pyvcloud builds it (v1.5 default namespace, Description in v1.5);
/// a nil field is left out.
func serviceXML(name: String? = "backup", namespace: String? = "org.example.vcd.backup", routingKey: String? = "backup",
                exchange: String? = "vcdext", enabled: String? = "true", priority: String? = nil, description: String? = nil,
                vendor: String? = nil, filters: [String] = [ExtensionsTests.backupPattern], extra: String = "") -> String {
    var x = #"<vmext:Service xmlns="\#(Namespace.vcloud)" xmlns:vmext="\#(Namespace.vmext)""#
    if let name { x += #" name="\#(name)""# }
    x += ">"
    if let description { x += "<Description>\(description)</Description>" }
    if let namespace { x += "<vmext:Namespace>\(namespace)</vmext:Namespace>" }
    if let enabled { x += "<vmext:Enabled>\(enabled)</vmext:Enabled>" }
    if let routingKey { x += "<vmext:RoutingKey>\(routingKey)</vmext:RoutingKey>" }
    if let priority { x += "<vmext:Priority>\(priority)</vmext:Priority>" }
    if let exchange { x += "<vmext:Exchange>\(exchange)</vmext:Exchange>" }
    if let vendor { x += "<vmext:Vendor>\(vendor)</vmext:Vendor>" }
    if !filters.isEmpty {
        x += "<vmext:ApiFilters>" + filters.map { "<vmext:ApiFilter><vmext:UrlPattern>\(escaped($0))</vmext:UrlPattern></vmext:ApiFilter>" }.joined()
            + "</vmext:ApiFilters>"
    }
    return x + extra + "</vmext:Service>"
}

func filterXML(_ pattern: String) -> String {
    #"<vmext:ApiFilter xmlns:vmext="\#(Namespace.vmext)"><vmext:UrlPattern>\#(escaped(pattern))</vmext:UrlPattern></vmext:ApiFilter>"#
}

/// Patterns go into XML text: `&` and `<` must be escaped.
func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
}

/// Registers a service as the given sysadmin and returns the answer's Service element.
@discardableResult
func register(_ admin: TestClient, _ xml: String = serviceXML()) throws -> ParsedElement {
    let r = try admin.send("POST", ExtensionsTests.list, xml: xml, contentType: MediaType.service)
    try #require(r.status == 201, "\(r.text)")
    return try r.xml()
}

/// A vmext answer: status, versioned Content-Type, root element name and namespace.
@discardableResult
func expectVmext(_ r: TestClient.Response, _ status: Int, _ mediaType: String, _ root: String,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedElement {
    #expect(r.status == status, "body: \(r.text)", sourceLocation: sourceLocation)
    #expect(r.header("Content-Type") == versioned(mediaType), sourceLocation: sourceLocation)
    let doc = try r.xml()
    #expect(doc.name == root && doc.namespace == Namespace.vmext, sourceLocation: sourceLocation)
    return doc
}

/// Services from fixture files are registered when the server starts.
@Suite struct FixtureServicesTests {
    @Test func aFixtureServiceIsListedAndForwardsItsPaths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcd-mock-services-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: TestServer.defaultFixtures) {
            try FileManager.default.copyItem(atPath: TestServer.defaultFixtures + "/" + name, toPath: dir.path + "/" + name)
        }
        try """
            services:
              - name: backup
                namespace: org.example.vcd.backup
                exchange: vcdext
                routingKey: backup
                filters:
                  - /api/org/[^/]+/backups(/.*)?
            """.write(to: dir.appendingPathComponent("90-services.yaml"), atomically: true, encoding: .utf8)
        let server = try TestServer(fixtures: dir.path)
        let list = try server.sysadmin().send("GET", "/api/admin/extension/service")
        #expect(list.status == 200)
        #expect(list.text.contains("backup"), "\(list.text)")
        #expect(server.app.store.forwardingService(forPath: "/api/org/26/backups")?.name == "backup")
    }
}
