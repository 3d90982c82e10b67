import Testing
import VCDCore
import VCDXML

/// `AmqpSettings`, `AmqpSettingsTest` and `NotificationsSettings` (§6.1, §6.2).
@Suite struct AmqpSettingsDocumentTests {
    let hrefs = Hrefs(base: "https://vcd.example.test:8443")
    static let settingsHref = "https://vcd.example.test:8443/api/admin/extension/settings/amqp"
    static let custom = AMQPSettings(host: "rabbit.example", port: 5671, username: "vcd", password: "s3cret",
                                     exchange: "vcd-x", vhost: "/prod", useSSL: true, sslAcceptAll: true, prefix: "cell")

    init() { VCDXML.XMLReader.initialize() }

    func parse(_ bytes: [UInt8]) throws -> ParsedElement { try VCDXML.XMLReader.parse(bytes) }

    func parse(_ text: String) throws -> ParsedElement { try VCDXML.XMLReader.parse(Array(text.utf8)) }

    /// A client body with the given children, vmext as the default namespace.
    func body(_ children: String, root: String = "AmqpSettings") throws -> ParsedElement {
        try parse("<\(root) xmlns=\"http://www.vmware.com/vcloud/extension/v1.5\">\(children)</\(root)>")
    }

    func decode(_ children: String, current: AMQPSettings = custom) throws -> AMQPSettings {
        try AMQPSettingsDocument.decodeSettings(try body(children), current: current)
    }

    /// The validation message, nil when the body decodes.
    func decodeError(_ children: String) throws -> String? {
        let root = try body(children)
        do { _ = try AMQPSettingsDocument.decodeSettings(root, current: Self.custom); return nil } catch {
            return error.description
        }
    }

    // MARK: AmqpSettings

    @Test func settingsRootLinkAndChildOrder() throws {
        let bytes = AMQPSettingsDocument.settings(Self.custom, hrefs: hrefs)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("<vmext:AmqpSettings xmlns:vmext=\"http://www.vmware.com/vcloud/extension/v1.5\" "
            + "xmlns:vcloud=\"http://www.vmware.com/vcloud/v1.5\""))
        let root = try parse(bytes)
        #expect(root.namespace == Namespace.vmext)
        #expect(root["type"] == "application/vnd.vmware.admin.amqpSettings+xml")
        #expect(root["href"] == Self.settingsHref)
        #expect(root.children.map(\.name) == [
            "Link", "AmqpHost", "AmqpPort", "AmqpUsername", "AmqpPassword", "AmqpExchange", "AmqpVHost", "AmqpUseSSL",
            "AmqpSslAcceptAll", "AmqpPrefix",
        ])
        #expect(root.children.dropFirst().allSatisfy { $0.namespace == Namespace.vmext })
        let link = try #require(root.child("Link"))
        #expect(link.namespace == Namespace.vcloud)
        #expect(link["rel"] == "test")
        #expect(link["type"] == "application/vnd.vmware.admin.amqpSettingsTest+xml")
        #expect(link["href"] == Self.settingsHref + "/action/test")
    }

    @Test func settingsValues() throws {
        let root = try parse(AMQPSettingsDocument.settings(Self.custom, hrefs: hrefs))
        #expect(root.children.dropFirst().map(\.text) == [
            "rabbit.example", "5671", "vcd", "", "vcd-x", "/prod", "true", "true", "cell",
        ])
    }

    @Test func passwordIsNeverEchoed() throws {
        let bytes = AMQPSettingsDocument.settings(Self.custom, hrefs: hrefs)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("s3cret"))
        #expect(String(decoding: bytes, as: UTF8.self).contains("<vmext:AmqpPassword/>"))
        #expect(try parse(bytes).child("AmqpPassword")?.children.isEmpty == true)
    }

    @Test func decodeReadsEveryChild() throws {
        let s = try decode("""
            <AmqpHost> broker </AmqpHost><AmqpPort>5673</AmqpPort><AmqpUsername>u</AmqpUsername>\
            <AmqpPassword>p</AmqpPassword><AmqpExchange>x</AmqpExchange><AmqpVHost>v</AmqpVHost>\
            <AmqpUseSSL>0</AmqpUseSSL><AmqpSslAcceptAll>false</AmqpSslAcceptAll><AmqpPrefix>pre</AmqpPrefix>
            """)
        #expect(s == AMQPSettings(host: "broker", port: 5673, username: "u", password: "p", exchange: "x", vhost: "v",
                                  useSSL: false, sslAcceptAll: false, prefix: "pre"))
    }

    @Test func absentChildrenKeepCurrentValues() throws {
        #expect(try decode("") == Self.custom)
        var expected = Self.custom
        expected.port = 1
        #expect(try decode("<AmqpPort>1</AmqpPort>") == expected)
    }

    @Test func emptyOrAbsentPasswordKeepsTheCurrentOne() throws {
        #expect(try decode("<AmqpPassword/>").password == "s3cret")
        #expect(try decode("<AmqpPassword></AmqpPassword>").password == "s3cret")
        #expect(try decode("<AmqpUsername>x</AmqpUsername>").password == "s3cret")
    }

    @Test func whatGetReturnsPutsBackUnchanged() throws {
        let got = try parse(AMQPSettingsDocument.settings(Self.custom, hrefs: hrefs))
        #expect(try AMQPSettingsDocument.decodeSettings(got, current: Self.custom) == Self.custom)
    }

    @Test func invalidValuesAreRejectedNamingTheElement() throws {
        for bad in ["<AmqpPort>0</AmqpPort>", "<AmqpPort>65536</AmqpPort>", "<AmqpPort>five</AmqpPort>"] {
            #expect(try decodeError(bad)?.contains("AmqpPort") == true)
        }
        #expect(try decodeError("<AmqpUseSSL>yes</AmqpUseSSL>")?.contains("AmqpUseSSL") == true)
        #expect(try decodeError("<AmqpSslAcceptAll>TRUE</AmqpSslAcceptAll>")?.contains("AmqpSslAcceptAll") == true)
        #expect(try decodeError("<AmqpHost>  </AmqpHost>")?.contains("AmqpHost") == true)
        #expect(try decodeError("<AmqpPort>65535</AmqpPort><AmqpUseSSL>1</AmqpUseSSL>") == nil)
    }

    @Test func wrongRootOrNamespaceIsRejected() throws {
        #expect(throws: XMLParseError.self) {
            try AMQPSettingsDocument.decodeSettings(try parse("<AmqpSettings xmlns=\"\(Namespace.vcloud)\"/>"),
                                                    current: Self.custom)
        }
        #expect(throws: XMLParseError.self) {
            try AMQPSettingsDocument.decodeSettings(try body("", root: "AmqpSettingsTest"), current: Self.custom)
        }
        let unqualified = try parse("<vmext:AmqpSettings xmlns:vmext=\"\(Namespace.vmext)\"><AmqpPort>1</AmqpPort></vmext:AmqpSettings>")
        #expect(throws: XMLParseError.self) { try AMQPSettingsDocument.decodeSettings(unqualified, current: Self.custom) }
    }

    // MARK: AmqpSettingsTest

    @Test func validTestResultHasUpLinkAndNoError() throws {
        let root = try parse(AMQPSettingsDocument.test(valid: true, error: nil, hrefs: hrefs))
        #expect(root.name == "AmqpSettingsTest")
        #expect(root.namespace == Namespace.vmext)
        #expect(root["type"] == "application/vnd.vmware.admin.amqpSettingsTest+xml")
        #expect(root.children.map(\.name) == ["Link", "Valid"])
        let link = try #require(root.child("Link"))
        #expect(link.namespace == Namespace.vcloud)
        #expect(link["rel"] == "up")
        #expect(link["href"] == Self.settingsHref)
        #expect(root.child("Valid")?.text == "true")
    }

    @Test func invalidTestResultCarriesTheError() throws {
        let root = try parse(AMQPSettingsDocument.test(
            valid: false, error: (status: 500, minor: "INTERNAL_SERVER_ERROR", message: "Connection refused"), hrefs: hrefs))
        #expect(root.children.map(\.name) == ["Link", "Valid", "error"])
        #expect(root.child("Valid")?.text == "false")
        let error = try #require(root.child("error"))
        #expect(error.namespace == Namespace.vmext)
        #expect(error["majorErrorCode"] == "500")
        #expect(error["minorErrorCode"] == "INTERNAL_SERVER_ERROR")
        #expect(error["message"] == "Connection refused")
    }

    // MARK: NotificationsSettings

    @Test func notificationsSettingsRoundTrip() throws {
        for enabled in [true, false] {
            let root = try parse(AMQPSettingsDocument.notifications(enabled: enabled, hrefs: hrefs))
            #expect(root.name == "NotificationsSettings")
            #expect(root.namespace == Namespace.vmext)
            #expect(root["type"] == "application/vnd.vmware.admin.notificationsSettings+xml")
            #expect(root["href"] == "https://vcd.example.test:8443/api/admin/extension/settings/notifications")
            #expect(root.children.map(\.name) == ["EnableNotifications"])
            #expect(root.child("EnableNotifications")?.namespace == Namespace.vmext)
            #expect(try AMQPSettingsDocument.decodeNotifications(root) == enabled)
        }
    }

    @Test func notificationsDecodeValidates() throws {
        let decode = AMQPSettingsDocument.decodeNotifications
        #expect(try decode(try body("<EnableNotifications>1</EnableNotifications>", root: "NotificationsSettings")))
        #expect(throws: XMLParseError.self) { try decode(try body("", root: "NotificationsSettings")) }
        #expect(throws: XMLParseError.self) {
            try decode(try body("<EnableNotifications>on</EnableNotifications>", root: "NotificationsSettings"))
        }
        #expect(throws: XMLParseError.self) { try decode(try body("", root: "AmqpSettings")) }
    }
}
