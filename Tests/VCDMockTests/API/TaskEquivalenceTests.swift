import Foundation
import Testing
import VCDCore
import VCDXML

/// A task loaded from a fixture and the same task created by POST are stored alike and answer the same
/// XML (ids aside): one storage, one interning, one renderer.
@Suite struct TaskEquivalenceTests {
    static let fixtureTaskID = "11111111-2222-4333-8444-555555555555"

    static func fixtures() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vcd-equiv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestServer.defaultFixtures + "/00-system.yaml", toPath: dir + "/00-system.yaml")
        let yaml = """
            orgs:
              - name: equiv
                id: equiv
                users:
                  - name: admin
                    id: equiv-admin
                    password: admin
                    role: org administrator
                tasks:
                  - id: \(fixtureTaskID)
                    name: backup-task
                    status: running
                    serviceNamespace: org.example.vcd.backup
                    operation: Backing up the equivalence org
                    operationName: backup
                    progress: 40
                    details: nightly run
                    user: admin
                    startTime: 2024-05-01T10:00:00.000Z

            """
        try yaml.write(toFile: dir + "/10-equiv.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func fixtureAndPostedTasksRenderTheSameXML() throws {
        let dir = try Self.fixtures()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try TestServer(clock: TestClock("2024-05-01T10:00:00.000Z"), fixtures: dir)
        let admin = try server.sysadmin()
        let body = """
            <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="backup-task" status="running" \
            serviceNamespace="org.example.vcd.backup" operation="Backing up the equivalence org" operationName="backup">\
            <User href="\(server.url("/api/admin/user/equiv-admin"))" type="\(MediaType.user)" name="admin"/>\
            <Progress>40</Progress><Details>nightly run</Details></Task>
            """
        let posted = try admin.send("POST", "/api/tasksList/equiv", xml: body, contentType: MediaType.task)
        #expect(posted.status == 200, "\(posted.text)")
        let postedID = try #require(posted.xml()["id"]).replacingOccurrences(of: "urn:vcloud:task:", with: "")
        #expect(postedID != Self.fixtureTaskID)

        let fromFixture = try admin.send("GET", "/api/task/\(Self.fixtureTaskID)")
        let fromPost = try admin.send("GET", "/api/task/\(postedID)")
        #expect(fromFixture.status == 200 && fromPost.status == 200)
        let a = fromFixture.text.replacingOccurrences(of: Self.fixtureTaskID, with: "ID")
        let b = fromPost.text.replacingOccurrences(of: postedID, with: "ID")
        #expect(a == b)
        #expect(a.contains("name=\"admin\"") && a.contains("<Progress>40</Progress>"), "\(a)")

        // In the org's list, one after the other, each renders as on its own.
        let list = try admin.send("GET", "/api/tasksList/equiv").text
        #expect(list.components(separatedBy: "<Task ").count == 3)
    }
}
