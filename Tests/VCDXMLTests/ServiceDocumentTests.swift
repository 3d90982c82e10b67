import Testing
import VCDCore
import VCDXML

/// `ExtensionServices`, `Service`, `ApiFilters`, `ApiFilter`, `SystemSettings` and the `VMWExtension` links
/// (§5.1–§5.4): element order, namespaces, links, and reading client bodies.
@Suite struct ServiceDocumentTests {
    let hrefs = Hrefs(base: "https://vcd.example.test:8443")
    static let ext = "https://vcd.example.test:8443/api/admin/extension"
    static let service = ExtensionService(
        id: "45", name: "backup", namespace: "org.example.vcd.backup", enabled: false, authorizationEnabled: true,
        routingKey: "backup", priority: 70, exchange: "vcdext", vendor: "Example", description: "Backups & restores",
        filters: [APIFilter(id: "f1", urlPattern: "/api/org/[^/]+/backups(/.*)?"), APIFilter(id: "f2", urlPattern: "/api/x<y")])

    init() { VCDXML.XMLReader.initialize() }

    func parse(_ bytes: [UInt8]) throws -> ParsedElement { try VCDXML.XMLReader.parse(bytes) }
    func parse(_ text: String) throws -> ParsedElement { try VCDXML.XMLReader.parse(Array(text.utf8)) }

    func links(_ e: ParsedElement) -> [String] {
        e.children("Link").map { "\($0["rel"] ?? "-") \($0["type"] ?? "-") \($0["href"] ?? "-")" }
    }

    // MARK: Writing

    @Test func serviceAttributesChildOrderAndNamespaces() throws {
        let root = try parse(ServiceDocument.service(Self.service, hrefs: hrefs))
        #expect(root.name == "Service" && root.namespace == Namespace.vmext)
        #expect(root.attributes == ["href": Self.ext + "/service/45", "type": "application/vnd.vmware.admin.service+xml",
                                    "id": "urn:vcloud:externalService:45", "name": "backup"])
        #expect(root.children.map(\.name) == ["Link", "Link", "Link", "Link", "Description", "Namespace", "Enabled",
                                              "AuthorizationEnabled", "RoutingKey", "Priority", "Exchange", "Vendor", "ApiFilters"])
        #expect(root.children.prefix(5).allSatisfy { $0.namespace == Namespace.vcloud }, "Link and Description come from v1.5 types")
        #expect(root.children.dropFirst(5).allSatisfy { $0.namespace == Namespace.vmext })
        #expect(root.children.dropFirst(4).dropLast().map(\.text) == ["Backups & restores", "org.example.vcd.backup", "false",
                                                                       "true", "backup", "70", "vcdext", "Example"])
    }

    @Test func serviceLinksAreOnlyOnesThatResolve() throws {
        let root = try parse(ServiceDocument.service(Self.service, hrefs: hrefs))
        #expect(links(root) == [
            "remove - \(Self.ext)/service/45",
            "edit application/vnd.vmware.admin.service+xml \(Self.ext)/service/45",
            "add application/vnd.vmware.admin.apiFilter+xml \(Self.ext)/service/45/apifilters",
            "down application/vnd.vmware.admin.apiFilters+xml \(Self.ext)/service/45/apifilters",
        ])
    }

    @Test func serviceWithoutOptionalsOmitsDescriptionAndVendorButKeepsApiFilters() throws {
        let bare = ExtensionService(id: "1", name: "n", namespace: "ns", routingKey: "rk", exchange: "ex")
        let root = try parse(ServiceDocument.service(bare, hrefs: hrefs))
        #expect(root.children.map(\.name).filter { $0 != "Link" } == ["Namespace", "Enabled", "AuthorizationEnabled", "RoutingKey",
                                                                     "Priority", "Exchange", "ApiFilters"])
        #expect(root.child("ApiFilters")?.children.isEmpty == true)
        #expect(root.child("Priority")?.text == "50")
    }

    @Test func filtersInsideTheServiceAndAloneAreTheSame() throws {
        let inService = try #require(try parse(ServiceDocument.service(Self.service, hrefs: hrefs)).child("ApiFilters"))
        let list = try parse(ServiceDocument.filters(Self.service.filters, hrefs: hrefs))
        #expect(list.name == "ApiFilters" && list.namespace == Namespace.vmext)
        #expect(list.attributes.isEmpty, "ApiFiltersType extends VCloudExtensibleType: no href or type")
        #expect(list.children == inService.children)
        let f = list.children[1]
        #expect(f.attributes == ["href": Self.ext + "/service/apifilter/f2", "type": "application/vnd.vmware.admin.apiFilter+xml",
                                 "id": "urn:vcloud:apiFilter:f2"])
        #expect(f.children.map(\.name) == ["Link", "UrlPattern"])
        #expect(links(f) == ["remove - \(Self.ext)/service/apifilter/f2"])
        #expect(f.child("UrlPattern")?.text == "/api/x<y", "escaped by the writer, read back intact")
    }

    @Test func aSingleFilterIsARootInVmext() throws {
        let root = try parse(ServiceDocument.filter(Self.service.filters[0], hrefs: hrefs))
        #expect(root.name == "ApiFilter" && root.namespace == Namespace.vmext)
        #expect(root.child("UrlPattern")?.namespace == Namespace.vmext)
        #expect(root.child("Link")?.namespace == Namespace.vcloud)
    }

    @Test func listHoldsReferencesAndTheAddLink() throws {
        let root = try parse(ServiceDocument.list([Self.service], hrefs: hrefs))
        #expect(root.name == "ExtensionServices" && root.namespace == Namespace.vmext)
        #expect(root["href"] == Self.ext + "/service")
        #expect(root["type"] == "application/vnd.vmware.admin.extensionServices+xml")
        #expect(links(root) == ["up application/vnd.vmware.admin.vmwExtension+xml \(Self.ext)",
                                "add application/vnd.vmware.admin.service+xml \(Self.ext)/service"])
        let ref = try #require(root.child("Service"))
        #expect(ref.attributes == ["href": Self.ext + "/service/45", "type": "application/vnd.vmware.admin.service+xml",
                                   "id": "urn:vcloud:externalService:45", "name": "backup"])
        #expect(ref.children.isEmpty)
    }

    @Test func vmwExtensionAndSystemSettingsLinkOnlyToServedResources() throws {
        let ext = try parse(InventoryDocument.vmwExtension(hrefs: hrefs))
        #expect(links(ext) == ["down application/vnd.vmware.admin.extensionServices+xml \(Self.ext)/service",
                               "down application/vnd.vmware.admin.systemSettings+xml \(Self.ext)/settings",
                               "down application/vnd.vmware.admin.blockingTaskList+xml \(Self.ext)/blockingTasks/"])
        #expect(ext.children("Link").allSatisfy { $0.namespace == Namespace.vcloud })
        let settings = try parse(SystemSettingsDocument.settings(hrefs: hrefs))
        #expect(settings.name == "SystemSettings" && settings.namespace == Namespace.vmext)
        #expect(settings["href"] == Self.ext + "/settings")
        #expect(links(settings) == ["up application/vnd.vmware.admin.vmwExtension+xml \(Self.ext)",
                                    "down application/vnd.vmware.admin.amqpSettings+xml \(Self.ext)/settings/amqp",
                                    "down application/vnd.vmware.admin.notificationsSettings+xml \(Self.ext)/settings/notifications",
                                    "down application/vnd.vmware.admin.blockingTaskSettings+xml \(Self.ext)/settings/blockingTask"])
    }

    // MARK: Reading

    /// The body pyvcloud's `add_extension` builds (reference §5.2).
    @Test func decodesThePyvcloudRegistrationBody() throws {
        let d = try ServiceDocument.decodeService(try parse("""
            <vmext:Service xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:vmext="http://www.vmware.com/vcloud/extension/v1.5" name="cse">
              <Description>Container Service Extension</Description>
              <vmext:Namespace>cse</vmext:Namespace><vmext:Enabled>true</vmext:Enabled>
              <vmext:RoutingKey>cse</vmext:RoutingKey><vmext:Exchange>cse-ext</vmext:Exchange>
              <vmext:ApiFilters>
                <vmext:ApiFilter><vmext:UrlPattern>/api/cse</vmext:UrlPattern></vmext:ApiFilter>
                <vmext:ApiFilter><vmext:UrlPattern>/api/cse/.*</vmext:UrlPattern></vmext:ApiFilter>
              </vmext:ApiFilters>
            </vmext:Service>
            """))
        #expect(d == ServiceDraft(name: "cse", description: "Container Service Extension", namespace: "cse", enabled: true,
                                  routingKey: "cse", exchange: "cse-ext", filters: ["/api/cse", "/api/cse/.*"]))
    }

    @Test func decodesEveryOptionalChildAndLeavesAbsentOnesNil() throws {
        let full = try ServiceDocument.decodeService(try parse("""
            <Service xmlns="http://www.vmware.com/vcloud/extension/v1.5"><AuthorizationEnabled>1</AuthorizationEnabled>\
            <Priority> 7 </Priority><Vendor>V</Vendor><Enabled>0</Enabled></Service>
            """))
        #expect(full == ServiceDraft(enabled: false, authorizationEnabled: true, priority: 7, vendor: "V"))
        #expect(full.filters == nil, "no ApiFilters element: nil, not empty")
    }

    static let badBodies: [(String, String)] = [
        (#"<Task xmlns="http://www.vmware.com/vcloud/v1.5"/>"#, "Expected a Service element"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/v1.5"/>"#, "must be in namespace http://www.vmware.com/vcloud/extension/v1.5"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/extension/v1.5"><Enabled>yes</Enabled></Service>"#, "is not a boolean"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/extension/v1.5"><Priority>high</Priority></Service>"#, "is not an integer"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/extension/v1.5"><Description>d</Description></Service>"#, "comes from EntityType"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/extension/v1.5" xmlns:v="http://www.vmware.com/vcloud/v1.5"><v:Exchange>x</v:Exchange></Service>"#,
         "Exchange must be in namespace"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/extension/v1.5"><ApiFilters><ApiFilter/></ApiFilters></Service>"#, "needs a UrlPattern"),
        (#"<Service xmlns="http://www.vmware.com/vcloud/extension/v1.5"><ApiFilters><ApiFilter><ResponseContentType>a</ResponseContentType></ApiFilter></ApiFilters></Service>"#,
         "ResponseContentType are not supported"),
    ]

    @Test(arguments: badBodies)
    func badServiceBodiesSayWhatIsWrong(_ xml: String, _ expected: String) throws {
        let root = try parse(xml)
        #expect(throws: XMLParseError.self) { try ServiceDocument.decodeService(root) }
        do { _ = try ServiceDocument.decodeService(root) } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func decodesAFilterBody() throws {
        let vmext = Namespace.vmext
        #expect(try ServiceDocument.decodeFilter(try parse(#"<ApiFilter xmlns="\#(vmext)"><UrlPattern>/a/.*</UrlPattern></ApiFilter>"#)) == "/a/.*")
        #expect(throws: XMLParseError.self) { try ServiceDocument.decodeFilter(try parse(#"<ApiFilter xmlns="\#(vmext)"/>"#)) }
        #expect(throws: XMLParseError.self) { try ServiceDocument.decodeFilter(try parse(#"<Service xmlns="\#(vmext)"/>"#)) }
    }
}
