import Testing
import VCDXML

/// `GET /api/versions` (reference §2.1): version discovery, before any login.
@Suite struct VersionsTests {
    @Test func versionsNeedNeitherSessionNorVersionInAccept() throws {
        let server = try TestServer()
        let anonymous = server.client()
        anonymous.accept = nil
        let r = try anonymous.send("GET", "/api/versions")
        #expect(r.status == 200)
        #expect(try r.xml().name == "SupportedVersions")
    }

    @Test func versionsAcceptPyvcloudsUnversionedWildcard() throws {
        let server = try TestServer()
        let c = server.client()
        c.accept = "application/*+xml"
        #expect(try c.send("GET", "/api/versions").status == 200)
    }

    @Test func supportedVersionsIsInTheVersionsNamespace() throws {
        let server = try TestServer()
        let root = try server.client().send("GET", "/api/versions").xml()
        #expect(root.name == "SupportedVersions")
        #expect(root.namespace == Namespace.versions)
    }

    @Test func theCellAdvertises55AndTheVersionsTodaysClientsNegotiate() throws {
        let server = try TestServer()
        let root = try server.client().send("GET", "/api/versions").xml()
        let versions = root.children("VersionInfo").map { $0.child("Version")?.text }
        #expect(versions == ["1.5", "5.1", "5.5", "29.0", "30.0", "31.0", "32.0", "33.0", "34.0", "35.0", "36.0"])
        #expect(root.children("VersionInfo").allSatisfy { $0.attributes["deprecated"] == "false" })
    }

    @Test func versionsBefore36LogInAtApiSessionsAnd36AtCloudapi() throws {
        let server = try TestServer()
        let infos = try server.client().send("GET", "/api/versions").xml().children("VersionInfo")
        for info in infos {
            let version = info.child("Version")?.text ?? ""
            if version == "36.0" {
                #expect(info.child("LoginUrl")?.text == server.url("/cloudapi/1.0.0/sessions"))
                #expect(info.child("ProviderLoginUrl")?.text == server.url("/cloudapi/1.0.0/sessions/provider"))
            } else {
                #expect(info.child("LoginUrl")?.text == server.url("/api/sessions"), "\(version)")
                #expect(info.child("ProviderLoginUrl") == nil, "\(version)")
            }
        }
    }

    @Test func only55ListsItsMediaTypeMappings() throws {
        let server = try TestServer()
        let infos = try server.client().send("GET", "/api/versions").xml().children("VersionInfo")
        for info in infos {
            let mappings = info.children("MediaTypeMapping")
            if info.child("Version")?.text == "5.5" {
                #expect(mappings.count >= 10)
                let task = try #require(mappings.first { $0.child("MediaType")?.text == MediaType.task })
                #expect(task.child("ComplexTypeName")?.text == "TaskType")
                #expect(task.child("SchemaLocation")?.text == server.url("/api/v1.5/schema/task.xsd"))
            } else {
                #expect(mappings.isEmpty)
            }
        }
    }

    @Test func versionInfoChildrenAreVersionThenLoginUrl() throws {
        let server = try TestServer()
        let info = try #require(try server.client().send("GET", "/api/versions").xml().children("VersionInfo").last)
        #expect(Array(info.childSequence.prefix(2)) == ["Version", "LoginUrl"])
    }

    @Test func versionsIsAnXMLDocumentWithARequestID() throws {
        let server = try TestServer()
        let r = try server.client().send("GET", "/api/versions")
        let contentType = try #require(r.header("Content-Type"))
        #expect(contentType.hasPrefix("application/"))
        #expect(contentType.contains("xml"))
        #expect(!(r.header("X-VMWARE-VCLOUD-REQUEST-ID") ?? "").isEmpty)
    }

    @Test func theAdvertisedLoginUrlLogsIn() throws {
        let server = try TestServer()
        let loginURL = try #require(try server.client().send("GET", "/api/versions").xml()
            .children("VersionInfo").first { $0.child("Version")?.text == "5.5" }?.child("LoginUrl")?.text)
        let r = try server.client().send("POST", loginURL,
                                         headers: ["Authorization": TestClient.basic("administrator@System:vmware")])
        #expect(r.status == 200)
    }
}
