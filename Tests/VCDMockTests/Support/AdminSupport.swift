import Foundation
import Testing
import VCDCore
import VCDXML

/// Bodies and calls of the admin API (orgs, users, metadata) used by several suites.
func adminOrgXML(_ name: String, fullName: String = "Full", enabled: Bool = true, description: String? = nil) -> String {
    """
    <AdminOrg xmlns="http://www.vmware.com/vcloud/v1.5" name="\(name)">\(description.map { "<Description>\($0)</Description>" } ?? "")\
    <FullName>\(fullName)</FullName><IsEnabled>\(enabled)</IsEnabled><Settings/></AdminOrg>
    """
}

func userXML(_ name: String, password: String = "secret1", roleHref: String?, enabled: Bool = true, fullName: String = "") -> String {
    """
    <User xmlns="http://www.vmware.com/vcloud/v1.5" name="\(name)"><FullName>\(fullName)</FullName>\
    <EmailAddress>\(name)@example.test</EmailAddress><IsEnabled>\(enabled)</IsEnabled>\
    \(roleHref.map { "<Role href=\"\($0)\"/>" } ?? "")<Password>\(password)</Password></User>
    """
}

func metadataXML(_ entries: [(key: String, value: String, type: String, domain: String?)]) -> String {
    let body = entries.map { e in
        (e.domain.map { "<Domain visibility=\"\($0 == "SYSTEM" ? "READONLY" : "READWRITE")\">\($0)</Domain>" } ?? "")
            + "<Key>\(e.key)</Key><TypedValue xsi:type=\"\(e.type)\"><Value>\(e.value)</Value></TypedValue>"
    }.map { "<MetadataEntry>\($0)</MetadataEntry>" }.joined()
    return #"<Metadata xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
        + body + "</Metadata>"
}

func metadataValueXML(_ value: String, type: String = "MetadataStringValue", domain: String? = nil, visibility: String = "READWRITE") -> String {
    #"<MetadataValue xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
        + (domain.map { "<Domain visibility=\"\(visibility)\">\($0)</Domain>" } ?? "")
        + "<TypedValue xsi:type=\"\(type)\"><Value>\(value)</Value></TypedValue></MetadataValue>"
}

extension TestServer {
    func roleHref(_ role: Role) -> String { url("/api/admin/role/\(role.id)") }

    /// The events `/mock/events` shows, as (type, entity URN, org name).
    func recordedEvents() throws -> [(type: String, entity: String?, orgName: String)] {
        let r = try client().send("GET", "/mock/events")
        let json = try #require(JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let events = try #require(json["events"] as? [[String: Any]])
        return events.map { ($0["type"] as? String ?? "", $0["entity"] as? String, $0["orgName"] as? String ?? "") }
    }
}

extension TestClient {
    /// `POST /api/admin/orgs`; returns the new org's id (requires 201).
    func createOrg(_ name: String, enabled: Bool = true) throws -> String {
        let r = try send("POST", "/api/admin/orgs", xml: adminOrgXML(name, enabled: enabled), contentType: MediaType.adminOrg)
        try #require(r.status == 201, "\(r.status) \(r.text)")
        return lastSegment(try r.xml()["href"])
    }

    /// `POST /api/admin/org/{org}/users`; returns the new user's id (requires 201).
    func createUser(_ name: String, in orgID: String, role: Role, server: TestServer, password: String = "secret1") throws -> String {
        let r = try send("POST", "/api/admin/org/\(orgID)/users", xml: userXML(name, password: password, roleHref: server.roleHref(role)),
                         contentType: MediaType.user)
        try #require(r.status == 201, "\(r.status) \(r.text)")
        return lastSegment(try r.xml()["href"])
    }
}
