import Testing
import VCDCore
import VCDXML

/// The `Task` element (§4.2): attributes and children in XSD order, escaping, and decoding clients' bodies.
@Suite struct TaskDocumentTests {
    static let base = "https://vcd.example.test:8443"
    let hrefs = Hrefs(base: TaskDocumentTests.base)
    static let start = Timestamp(milliseconds: 1_714_557_600_000)  // 2024-05-01T10:00:00.000Z

    init() { VCDXML.XMLReader.initialize() }

    /// A task with every optional field filled.
    static func fullTask(status: TaskStatus) -> VCDCore.CloudTask {
        var t = VCDCore.CloudTask(id: "604", orgID: "26", name: "task", status: status, startTime: start,
                             expiryTime: start.adding(days: 90))
        t.operationKey = "key-1"
        t.operation = "Backup in progress"
        t.operationName = "backupInProgress"
        t.serviceNamespace = "org.example.vcd.backup"
        t.description = "Nightly backup"
        t.owner = Reference(href: "https://vcd.example.test:8443/api/org/26", name: "acme", type: MediaType.org)
        t.error = TaskError(message: "failed", majorErrorCode: 500, minorErrorCode: "INTERNAL_SERVER_ERROR",
                            vendorSpecificErrorCode: "V-1", stackTrace: "at x")
        t.user = .user(id: "39", name: "bob")
        t.organization = .org(id: "26", name: "acme")
        t.progress = 10
        t.details = "d"
        if status.isTerminal { t.endTime = start.adding(milliseconds: 1_500) }
        return t
    }

    func encode(_ t: VCDCore.CloudTask) -> [UInt8] { TaskDocument.task(t, hrefs: hrefs) }

    func parse(_ bytes: [UInt8]) throws -> ParsedElement { try VCDXML.XMLReader.parse(bytes) }

    func parse(_ text: String) throws -> ParsedElement { try VCDXML.XMLReader.parse(Array(text.utf8)) }

    // MARK: Encoding

    @Test func attributesFollowTheSchemaDeclarationOrder() {
        let xml = String(decoding: encode(Self.fullTask(status: .error)), as: UTF8.self)
        #expect(startTagAttributeNames(xml, "Task") == [
            "xmlns", "href", "type", "id", "operationKey", "name", "status", "operation", "operationName",
            "serviceNamespace", "startTime", "endTime", "expiryTime", "cancelRequested",
        ])
    }

    @Test func serverOwnedAttributesHaveTheirVCDForm() throws {
        let root = try parse(encode(Self.fullTask(status: .success)))
        #expect(root.namespace == "http://www.vmware.com/vcloud/v1.5")
        #expect(root["href"] == "https://vcd.example.test:8443/api/task/604")
        #expect(root["type"] == "application/vnd.vmware.vcloud.task+xml")
        #expect(root["id"] == "urn:vcloud:task:604")
        #expect(root["startTime"] == "2024-05-01T10:00:00.000Z")
        #expect(root["endTime"] == "2024-05-01T10:00:01.500Z")
        #expect(root["expiryTime"] == "2024-07-30T10:00:00.000Z")
        #expect(root["cancelRequested"] == "false")
    }

    @Test func activeTaskHasNoEndTime() throws {
        #expect(try parse(encode(Self.fullTask(status: .running)))["endTime"] == nil)
    }

    @Test func childrenFollowTheSchemaOrder() throws {
        let root = try parse(encode(Self.fullTask(status: .running)))
        #expect(root.children.map(\.name) == [
            "Link", "Description", "Owner", "Error", "User", "Organization", "Progress", "Details",
        ])
    }

    @Test func absentOptionalChildrenAreOmitted() throws {
        let t = VCDCore.CloudTask(id: "1", orgID: "26", name: "task", status: .success, startTime: Self.start,
                             expiryTime: Self.start.adding(days: 90))
        #expect(try parse(encode(t)).children.isEmpty)
    }

    @Test func childElementsCarryTheirReferences() throws {
        let root = try parse(encode(Self.fullTask(status: .running)))
        #expect(root.child("Description")?.text == "Nightly backup")
        #expect(root.child("Owner")?.attributes == [
            "href": "https://vcd.example.test:8443/api/org/26", "name": "acme", "type": MediaType.org,
        ])
        #expect(root.child("Error")?.attributes == [
            "majorErrorCode": "500", "minorErrorCode": "INTERNAL_SERVER_ERROR", "message": "failed",
            "vendorSpecificErrorCode": "V-1", "stackTrace": "at x",
        ])
        #expect(root.child("User")?.attributes == [
            "href": "https://vcd.example.test:8443/api/admin/user/39", "name": "bob",
            "type": "application/vnd.vmware.admin.user+xml",
        ])
        #expect(root.child("Organization")?.attributes == [
            "href": "https://vcd.example.test:8443/api/org/26", "name": "acme",
            "type": "application/vnd.vmware.vcloud.org+xml",
        ])
        #expect(root.child("Progress")?.text == "10")
        #expect(root.child("Details")?.text == "d")
    }

    @Test(arguments: [TaskStatus.queued, .preRunning, .running])
    func activeTaskHasACancelLink(_ status: TaskStatus) throws {
        let links = try parse(encode(Self.fullTask(status: status))).children("Link")
        #expect(links.map(\.attributes) == [
            ["rel": "task:cancel", "href": "https://vcd.example.test:8443/api/task/604/action/cancel"],
        ])
    }

    @Test(arguments: [TaskStatus.success, .error, .canceled, .aborted])
    func finishedTaskHasNoCancelLink(_ status: TaskStatus) throws {
        #expect(try parse(encode(Self.fullTask(status: status))).children("Link").isEmpty)
    }

    static let awkward = "a<b & \"c\" 'd' > é ü 日本 🚀"

    @Test func specialCharactersInAttributesRoundTrip() throws {
        var t = Self.fullTask(status: .running)
        t.operation = Self.awkward
        t.owner = Reference(href: "https://h/api/org/26?a=1&b=2", name: Self.awkward, type: MediaType.org)
        let root = try parse(encode(t))
        #expect(root["operation"] == Self.awkward)
        #expect(root.child("Owner")?["name"] == Self.awkward)
        #expect(root.child("Owner")?["href"] == "https://h/api/org/26?a=1&b=2")
    }

    @Test func specialCharactersInTextRoundTrip() throws {
        var t = Self.fullTask(status: .running)
        t.details = Self.awkward
        t.description = Self.awkward
        let root = try parse(encode(t))
        #expect(root.child("Details")?.text == Self.awkward)
        #expect(root.child("Description")?.text == Self.awkward)
    }

    @Test func markupCharactersAreEscapedInTheBytes() {
        var t = Self.fullTask(status: .running)
        t.operation = "a<b & \"c\""
        t.details = "x<y & z"
        let xml = String(decoding: encode(t), as: UTF8.self)
        #expect(xml.contains("operation=\"a&lt;b &amp; &quot;c&quot;\""))
        #expect(xml.contains("<Details>x&lt;y &amp; z</Details>"))
    }

    @Test func lineBreaksInAttributesSurviveAttributeNormalisation() throws {
        var t = Self.fullTask(status: .running)
        t.operation = "line1\nline2\tend"
        #expect(try parse(encode(t))["operation"] == "line1\nline2\tend")
    }

    @Test func tasksListHoldsTasksAsDirectChildren() throws {
        let bytes = TaskDocument.tasksList(orgID: "26", tasks: [Self.fullTask(status: .running), Self.fullTask(status: .success)],
                                           hrefs: hrefs)
        let root = try parse(bytes)
        #expect(root.name == "TasksList")
        #expect(root.attributes == [
            "href": "https://vcd.example.test:8443/api/tasksList/26", "type": "application/vnd.vmware.vcloud.tasksList+xml",
            "name": "Tasks Lists",
        ])
        #expect(root.children.map(\.name) == ["Task", "Task"])
        #expect(root.children.map { $0["status"] } == ["running", "success"])
    }

    // MARK: Decoding

    static let pyvcloudBody = """
        <Task xmlns="http://www.vmware.com/vcloud/v1.5" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
        xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" status="error" \
        serviceNamespace="org.example.vcd.backup" type="application/vnd.vmware.vcloud.task+xml" operation="op" \
        operationName="backup" name="task"><Owner href="http://h/api/org/26" name="acme" \
        type="application/vnd.vmware.vcloud.org+xml"/><Error stackTrace="" majorErrorCode="500" message="failed" \
        minorErrorCode="INTERNAL_SERVER_ERROR"/><User href="http://h/api/admin/user/1" name="administrator" \
        type="application/vnd.vmware.admin.user+xml"/><Progress>10</Progress><Details>d</Details></Task>
        """

    @Test func decodesPyvcloudsTaskUpdateBody() throws {
        let draft = try TaskDocument.decode(parse(Self.pyvcloudBody))
        var expected = TaskDraft(name: "task", status: "error", serviceNamespace: "org.example.vcd.backup")
        expected.operation = "op"
        expected.operationName = "backup"
        expected.owner = Reference(href: "http://h/api/org/26", name: "acme", type: "application/vnd.vmware.vcloud.org+xml")
        expected.error = TaskError(message: "failed", majorErrorCode: 500, minorErrorCode: "INTERNAL_SERVER_ERROR",
                                   vendorSpecificErrorCode: nil, stackTrace: "")
        expected.user = Reference(href: "http://h/api/admin/user/1", name: "administrator",
                                  type: "application/vnd.vmware.admin.user+xml")
        expected.progress = 10
        expected.details = "d"
        #expect(draft == expected)
    }

    @Test func decodeRejectsAnotherRootElement() throws {
        let root = try parse("<Org xmlns=\"http://www.vmware.com/vcloud/v1.5\" name=\"task\"/>")
        #expect(failureDescription {
            try TaskDocument.decode(root)
        } == "Expected a Task element but the body holds Org.")
    }

    @Test func decodeRejectsATaskWithoutNamespace() throws {
        let root = try parse("<Task name=\"task\" status=\"running\"/>")
        #expect(failureDescription {
            try TaskDocument.decode(root)
        } == "The Task element must be in namespace http://www.vmware.com/vcloud/v1.5 (add xmlns=\"http://www.vmware.com/vcloud/v1.5\").")
    }

    @Test func decodeRejectsATaskInAnotherNamespace() throws {
        let root = try parse("<Task xmlns=\"http://www.vmware.com/vcloud/v1.0\" name=\"task\" status=\"running\"/>")
        #expect(throws: XMLParseError.self) { try TaskDocument.decode(root) }
    }

    @Test(arguments: ["ten", "10.5", "", "1e2"])
    func decodeRejectsNonIntegerProgress(_ value: String) throws {
        let root = try parse("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\" name=\"task\"><Progress>\(value)</Progress></Task>")
        #expect(failureDescription {
            try TaskDocument.decode(root)
        } == "Task Progress \"\(value)\" is not an integer.")
    }

    @Test func decodeToleratesWhitespaceAroundProgress() throws {
        let root = try parse("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\"><Progress>\n 42 \n</Progress></Task>")
        #expect(try TaskDocument.decode(root).progress == 42)
    }

    @Test func decodeRejectsAnErrorWithoutMessage() throws {
        let root = try parse("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\"><Error majorErrorCode=\"500\"/></Task>")
        #expect(failureDescription {
            try TaskDocument.decode(root)
        } == "The Task's Error element needs a message attribute.")
    }

    @Test func decodeLeavesAbsentFieldsNil() throws {
        let draft = try TaskDocument.decode(parse("<Task xmlns=\"http://www.vmware.com/vcloud/v1.5\"/>"))
        #expect(draft == TaskDraft())
    }

    @Test func encodeParseDecodeKeepsEveryClientField() throws {
        let draft = try TaskDocument.decode(parse(encode(Self.fullTask(status: .running))))
        var expected = TaskDraft(name: "task", status: "running", serviceNamespace: "org.example.vcd.backup")
        expected.operation = "Backup in progress"
        expected.operationName = "backupInProgress"
        expected.operationKey = "key-1"
        expected.description = "Nightly backup"
        expected.owner = Reference(href: "https://vcd.example.test:8443/api/org/26", name: "acme", type: MediaType.org)
        expected.error = TaskError(message: "failed", majorErrorCode: 500, minorErrorCode: "INTERNAL_SERVER_ERROR",
                                   vendorSpecificErrorCode: "V-1", stackTrace: "at x")
        expected.user = Reference(href: "https://vcd.example.test:8443/api/admin/user/39", name: "bob", type: MediaType.user)
        expected.organization = Reference(href: "https://vcd.example.test:8443/api/org/26", name: "acme", type: MediaType.org)
        expected.progress = 10
        expected.details = "d"
        #expect(draft == expected)
    }
}

/// The attribute names of the first `<element …>` start tag, in document order (XMLElement keeps them in a dictionary).
func startTagAttributeNames(_ xml: String, _ element: String) -> [String] {
    guard let open = xml.range(of: "<\(element) ") else { return [] }
    var names: [String] = []
    var i = open.upperBound
    var name = ""
    var inValue = false
    while i < xml.endIndex {
        let c = xml[i]
        if inValue {
            if c == "\"" { inValue = false }
        } else if c == "\"" {
            inValue = true
            names.append(name)
            name = ""
        } else if c == ">" || c == "/" {
            break
        } else if c != " " && c != "=" && c != "\n" && c != "\t" {
            name.append(c)
        }
        i = xml.index(after: i)
    }
    return names
}
