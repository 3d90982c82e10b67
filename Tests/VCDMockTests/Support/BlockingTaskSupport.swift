import Foundation
import Testing
import VCDCore
import VCDMock
import VCDXML

/// Bodies and steps the blocking-task tests share: settings, action bodies, an instantiation, clock steps.
enum BlockingXML {
    static let ns = "xmlns:vmext=\"\(Namespace.vmext)\" xmlns:vcloud=\"\(Namespace.vcloud)\""

    static func settings(action: String = "abort", timeout: String = "60000", operations: [String] = ["vdcInstantiateVapp"]) -> String {
        """
        <vmext:BlockingTaskSettings \(ns)>
          <vmext:TimeoutAction>\(action)</vmext:TimeoutAction>
          <vmext:BlockingTaskOperations>\(operations.map { "<vcloud:Operation>\($0)</vcloud:Operation>" }.joined())</vmext:BlockingTaskOperations>
          <vmext:TimeoutInMilliseconds>\(timeout)</vmext:TimeoutInMilliseconds>
        </vmext:BlockingTaskSettings>
        """
    }

    static func params(_ message: String) -> String {
        "<vmext:BlockingTaskOperationParams \(ns)><vmext:Message>\(message)</vmext:Message></vmext:BlockingTaskOperationParams>"
    }

    static func progress(_ message: String, timeout: String?) -> String {
        "<BlockingTaskUpdateProgressParams xmlns=\"\(Namespace.vmext)\"><Message>\(message)</Message>"
            + (timeout.map { "<TimeoutValueInMilliseconds>\($0)</TimeoutValueInMilliseconds>" } ?? "")
            + "</BlockingTaskUpdateProgressParams>"
    }
}

extension TestServer {
    func advance(_ ms: Int) throws {
        let r = try client().send("POST", "/mock/clock", headers: ["Content-Type": "application/json"],
                                  body: Array("{\"advance\": \(ms)}".utf8))
        try #require(r.status == 200, "\(r.text)")
    }

    func putBlockingSettings(_ admin: TestClient, _ xml: String) throws -> TestClient.Response {
        try admin.send("PUT", "/api/admin/extension/settings/blockingTask", xml: xml, contentType: MediaType.blockingTaskSettings)
    }

    /// alice instantiates acme's first template in acme's vdc; the 201 VApp.
    func instantiateAsAlice(_ alice: TestClient, _ name: String) throws -> ParsedElement {
        let acme = try #require(app.store.allOrgs.first { $0.name == "acme" })
        let r = try alice.send("POST", "/api/vdc/\(acme.vdcs[0].id)/action/instantiateVAppTemplate", xml: """
            <InstantiateVAppTemplateParams xmlns="http://www.vmware.com/vcloud/v1.5" name="\(name)" deploy="true" powerOn="true">
              <Source href="\(base)/api/vAppTemplate/vappTemplate-\(acme.catalogItems[0].templateID)"/>
            </InstantiateVAppTemplateParams>
            """, contentType: MediaType.instantiateParams)
        #expect(r.status == 201, "\(r.text)")
        return try r.xml()
    }

    /// The one blocking task of the sysadmin's list whose `up` link is `taskHref`.
    func blockingTask(for taskHref: String, _ admin: TestClient) throws -> ParsedElement {
        let list = try admin.send("GET", "/api/admin/extension/blockingTasks/").xml()
        for ref in list.children("Reference") {
            let b = try admin.send("GET", try #require(ref["href"])).xml()
            if b.children("Link").contains(where: { $0["rel"] == "up" && $0["href"] == taskHref }) { return b }
        }
        throw TestFailure("no blocking task for \(taskHref) in \(list)")
    }

    func act(_ admin: TestClient, _ blockingTask: ParsedElement, _ action: String, _ message: String) throws -> TestClient.Response {
        try admin.send("POST", try #require(blockingTask["href"]) + "/action/" + action, xml: BlockingXML.params(message),
                       contentType: MediaType.blockingTaskOperationParams)
    }

    /// Routing keys of every event recorded in `org` (the notification each becomes).
    func routingKeys(org: String) -> [String] {
        guard let id = app.store.allOrgs.first(where: { $0.name == org })?.id else { return [] }
        return app.store.events(in: id).events.map(NotificationMessage.routingKey)
    }
}

func taskOf(_ vapp: ParsedElement) throws -> ParsedElement { try #require(vapp.child("Tasks")?.child("Task")) }
