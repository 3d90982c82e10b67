import Foundation
import Testing
import VCDAMQP
import VCDCore
import VCDMock
import VCDXML

/// `/api/admin/extension/settings/amqp` and `/notifications` (reference §6.1, §6.2).
@Suite struct AmqpSettingsTests {
    static let vmext = "http://www.vmware.com/vcloud/extension/v1.5"
    static let path = "/api/admin/extension/settings/amqp"

    static func settingsXML(port: Int, password: String = "guest", exchange: String = "systemExchange") -> String {
        """
        <vmext:AmqpSettings xmlns:vmext="\(vmext)"><vmext:AmqpHost>127.0.0.1</vmext:AmqpHost>\
        <vmext:AmqpPort>\(port)</vmext:AmqpPort><vmext:AmqpUsername>guest</vmext:AmqpUsername>\
        <vmext:AmqpPassword>\(password)</vmext:AmqpPassword><vmext:AmqpExchange>\(exchange)</vmext:AmqpExchange>\
        <vmext:AmqpVHost>/</vmext:AmqpVHost><vmext:AmqpUseSSL>false</vmext:AmqpUseSSL></vmext:AmqpSettings>
        """
    }

    static func brokerPort() throws -> Int {
        guard let url = ProcessInfo.processInfo.environment["VCD_MOCK_TEST_AMQP_URL"] else {
            throw TestFailure("VCD_MOCK_TEST_AMQP_URL is not set: run the tests with `make test`, which starts RabbitMQ")
        }
        return try AMQPEndpoint(url: url).port
    }

    @Test func getShowsSettingsInSchemaOrderWithoutThePassword() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("GET", Self.path)
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == MediaType.amqpSettings + ";version=5.5")
        let doc = try r.xml()
        #expect(doc.name == "AmqpSettings" && doc.namespace == Self.vmext)
        #expect(doc.children.filter { $0.name != "Link" }.map(\.name) == ["AmqpHost", "AmqpPort", "AmqpUsername", "AmqpPassword",
            "AmqpExchange", "AmqpVHost", "AmqpUseSSL", "AmqpSslAcceptAll", "AmqpPrefix"])
        #expect(doc.child("AmqpPassword")?.text == "")
        let test = doc.children("Link").first { $0["rel"] == "test" }
        #expect(test?.namespace == Namespace.vcloud)
        #expect(test?["href"] == server.base + Self.path + "/action/test")
    }

    @Test func putChangesTheSettingsAndGetShowsThem() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let put = try admin.send("PUT", Self.path, xml: Self.settingsXML(port: 5999, password: "s3cret", exchange: "myExchange"),
                                 contentType: MediaType.amqpSettings)
        #expect(put.status == 200)
        #expect(try put.xml().child("AmqpPassword")?.text == "", "the password is never returned")
        let got = try admin.send("GET", Self.path).xml()
        #expect(got.child("AmqpPort")?.text == "5999")
        #expect(got.child("AmqpExchange")?.text == "myExchange")
        #expect(server.app.notifier.settings.password == "s3cret")
    }

    @Test func putWithAnEmptyPasswordKeepsTheOldOne() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let first = try admin.send("PUT", Self.path, xml: Self.settingsXML(port: 5999, password: "first"), contentType: MediaType.amqpSettings)
        #expect(first.status == 200, "\(first.text)")
        let second = try admin.send("PUT", Self.path, xml: Self.settingsXML(port: 5998, password: ""), contentType: MediaType.amqpSettings)
        #expect(second.status == 200, "\(second.text)")
        #expect(server.app.notifier.settings.password == "first")
        #expect(server.app.notifier.settings.port == 5998)
    }

    @Test func putWithABadPortIs400AndChangesNothing() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.send("PUT", Self.path, xml: Self.settingsXML(port: 70000), contentType: MediaType.amqpSettings)
        #expect(r.status == 400)
        #expect(try r.xml()["minorErrorCode"] == "BAD_REQUEST")
        #expect(server.app.notifier.settings.port == 5672)
    }

    @Test func testActionSaysValidForTheRealBroker() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", Self.path + "/action/test", xml: Self.settingsXML(port: try Self.brokerPort()),
                                           contentType: MediaType.amqpSettings)
        #expect(r.status == 200)
        let doc = try r.xml()
        #expect(doc.name == "AmqpSettingsTest")
        #expect(doc.child("Valid")?.text == "true", "\(r.text)")
    }

    @Test func testActionSaysInvalidWithAnErrorForAWrongPort() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", Self.path + "/action/test", xml: Self.settingsXML(port: 1),
                                           contentType: MediaType.amqpSettings)
        #expect(r.status == 200)
        let doc = try r.xml()
        #expect(doc.child("Valid")?.text == "false")
        #expect(doc.children.contains { $0.name.lowercased() == "error" && ($0["message"] ?? "").contains("cannot connect") }, "\(r.text)")
        #expect(server.app.notifier.settings.port == 5672, "testing does not change the settings")
    }

    @Test func notificationsCanBeSwitchedOnAndOff() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let path = "/api/admin/extension/settings/notifications"
        #expect(try admin.send("GET", path).xml().child("EnableNotifications")?.text == "false")
        let on = """
            <vmext:NotificationsSettings xmlns:vmext="\(Self.vmext)"><vmext:EnableNotifications>true</vmext:EnableNotifications></vmext:NotificationsSettings>
            """
        let r = try admin.send("PUT", path, xml: on, contentType: MediaType.notificationsSettings)
        #expect(r.status == 200)
        #expect(try r.xml().child("EnableNotifications")?.text == "true")
        #expect(server.app.notifier.enabled)
    }

    @Test(arguments: ["GET /api/admin/extension/settings/amqp", "GET /api/admin/extension/settings/notifications"])
    func tenantsAreRefused(_ request: String) throws {
        let server = try TestServer()
        let parts = request.split(separator: " ")
        let r = try server.alice().send(String(parts[0]), String(parts[1]))
        let error = try expectVCDError(r, 403, "ACCESS_TO_RESOURCE_IS_FORBIDDEN")
        #expect(!r.text.contains("AmqpHost") && !r.text.contains("EnableNotifications"), "no settings leak to a tenant: \(r.text)")
        #expect(error["message"]?.isEmpty == false)
    }

    @Test func wrongContentTypeIs415() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let r = try admin.send("PUT", Self.path, xml: Self.settingsXML(port: 5999), contentType: "application/xml")
        let error = try expectVCDError(r, 415, "UNSUPPORTED_MEDIA_TYPE")
        #expect(error["message"]?.contains(MediaType.amqpSettings) == true, "names the type to send: \(r.text)")
        #expect(server.app.notifier.settings.port == 5672, "a refused PUT changes nothing")
    }
}

/// `/mock/amqp` and `/mock/events`: JSON for tests, open on loopback.
@Suite struct ControlAmqpTests {
    @Test func amqpStatsAreJSONWithEveryCounter() throws {
        let server = try TestServer()
        let c = server.client()
        c.accept = nil
        let r = try c.send("GET", "/mock/amqp")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        for key in ["connected", "outboxDepth", "unconfirmed", "published", "confirmed", "returned", "nacked", "refused", "reconnects"] {
            #expect(json[key] != nil, "has \(key)")
        }
    }

    @Test func eventsListLoginsAndTaskEventsInOrder() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let posted = try admin.send("POST", "/api/tasksList/26", xml: """
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example.vcd.backup"/>
            """, contentType: MediaType.task)
        #expect(posted.status == 200)
        let c = server.client()
        c.accept = nil
        let json = try #require(try JSONSerialization.jsonObject(with: Data(c.send("GET", "/mock/events").body)) as? [String: Any])
        let types = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
        #expect(types == ["com/vmware/vcloud/event/session/login", "com/vmware/vcloud/event/task/create"])
    }
}
