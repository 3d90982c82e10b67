import Testing
import VCDCore
import VCDXML

/// Helpers shared by the task suites (reference §4).
protocol TaskTestSupport {}

extension TaskTestSupport {
    static var namespace: String { "org.example.vcd.backup" }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower-case hex.
    func isUUID(_ s: String) -> Bool {
        let chars = Array(s)
        guard chars.count == 36 else { return false }
        for (i, c) in chars.enumerated() {
            if [8, 13, 18, 23].contains(i) { if c != "-" { return false } } else if !"0123456789abcdef".contains(c) { return false }
        }
        return true
    }

    /// Creates a running task in acme as sysadmin and returns it.
    func createTask(_ admin: TestClient, _ xml: String = taskXML()) throws -> ParsedElement {
        let r = try admin.postTask(xml)
        #expect(r.status == 200, "body: \(r.text)")
        return try r.xml()
    }

    /// The finished task of the globex fixture, as bob sees it in his tasks list.
    func globexTask(_ server: TestServer) throws -> ParsedElement {
        let list = try server.bob().send("GET", "/api/tasksList/\(server.orgID("globex"))").xml()
        return try #require(list.children("Task").first)
    }
}

/// The attributes every valid Task body carries.
let taskXMLDefaults = #"name="task" status="running" serviceNamespace="org.example.vcd.backup""#
