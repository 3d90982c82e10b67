import Foundation
import Testing
import VCDCore
import VCDFixtures
import VCDXML

/// What the admin API creates is part of `GET /mock/state` (metadata included, round trip) and gone after
/// `POST /mock/reset`.
@Suite struct AdminStateTests {
    /// An org with a user, and metadata of every kind and domain on orgs, a vdc, a catalog, a user and a task.
    func populate(_ server: TestServer) throws -> (orgID: String, userID: String) {
        let admin = try server.sysadmin()
        let orgID = try admin.createOrg("initech", enabled: true)
        let userID = try admin.createUser("peter", in: orgID, role: .vappAuthor, server: server)
        let acme = try #require(server.app.store.allOrgs.first { $0.id == "26" })
        let task = lastSegment(try admin.postTask(taskXML()).xml()["href"])
        let entries = metadataXML([("n", "5", "MetadataNumberValue", nil), ("when", "2024-05-01T10:00:00.000Z", "MetadataDateTimeValue", "SYSTEM"),
                                   ("ok", "true", "MetadataBooleanValue", nil), ("s", "say \"hi\"", "MetadataStringValue", nil)])
        for href in ["/api/org/\(orgID)", "/api/vdc/\(acme.vdcs[0].id)", "/api/catalog/\(acme.catalogs[0].id)", "/api/admin/user/\(userID)",
                     "/api/task/\(task)"] {
            let r = try admin.send("POST", href + "/metadata", xml: entries, contentType: MediaType.metadata)
            try #require(r.status == 202, "\(href): \(r.text)")
        }
        let hidden = try admin.send("PUT", "/api/org/26/metadata/SYSTEM/p", xml: metadataValueXML("x", domain: "SYSTEM", visibility: "PRIVATE"),
                                    contentType: MediaType.metadataValue)
        try #require(hidden.status == 202)
        return (orgID, userID)
    }

    @Test func stateExportsCreatedOrgsUsersAndMetadataAndLoadsBackTheSame() throws {
        let server = try TestServer()
        _ = try populate(server)
        let r = try server.client().send("GET", "/mock/state")
        #expect(r.status == 200)
        for text in ["name: \"initech\"", "name: \"peter\"", "role: \"vapp author\"", "domain: SYSTEM", "visibility: PRIVATE", "type: dateTime"] {
            #expect(r.text.contains(text), "export has \(text)")
        }
        let loaded = try FixtureLoader.load(yaml: r.text, now: Timestamp(milliseconds: 0))
        #expect(loaded.snapshot == server.app.store.snapshot())
    }

    @Test func resetRemovesCreatedOrgsUsersAndMetadata() throws {
        let server = try TestServer()
        let (orgID, _) = try populate(server)
        let before = server.app.store.baseline
        #expect(try server.client().send("POST", "/mock/reset").status == 200)
        #expect(server.app.store.snapshot().orgs == before.orgs)
        let admin = try server.sysadmin()
        try expectNoAccess(admin.send("GET", "/api/admin/org/\(orgID)"), "org", orgID)
        let refused = try server.client().send("POST", "/api/sessions", headers: ["Authorization": TestClient.basic("peter@initech:secret1")])
        try expectVCDError(refused, 401, "UNAUTHORIZED")
        #expect(try admin.send("GET", "/api/org/26/metadata").xml().children("MetadataEntry").count == 1)
    }
}
