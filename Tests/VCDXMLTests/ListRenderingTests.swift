import Testing
import VCDCore
import VCDXML

/// The list renderers write hrefs, URNs, ids and times in parts into one `XMLOutput`. Their bytes must
/// stay exactly those of the writer fed whole strings, as the renderers were written before (kept below
/// as the oracle), for awkward values too: escapes, non-ASCII, a NUL (libxml2 read values as C strings),
/// UUID and text ids, times outside 0000-9999, no children, an empty list.
@Suite struct ListRenderingTests {
    static let awkward = ["", "plain", "a<b>&\"c\"", "cr\r lf\n tab\t", "é ü 中文 🙂", "nul\0after", "\0", "x&é\n\0<y"]
    static let bases = ["https://vcd.example.test:8443", "http://h&\"é\"/", "http://nul\0cut"]

    // MARK: parts of a value

    @Test func attributeWrittenInPartsEqualsTheWholeValue() {
        for a in Self.awkward {
            for b in Self.awkward {
                var parts = XMLOutput()
                parts.start("E")
                parts.attribute("v") { $0.value(a); $0.raw("/api/"); $0.value(b) }
                let whole = XMLWriter()
                whole.start("E")
                whole.attribute("v", a + "/api/" + b)
                #expect(parts.finish() == whole.finish(), "\(a.debugDescription) + \(b.debugDescription)")
            }
        }
    }

    @Test func aNulEndsOnlyItsOwnAttribute() {
        var o = XMLOutput()
        o.start("E")
        o.attribute("a") { $0.value("x\0y"); $0.raw("/gone"); $0.time(Timestamp(milliseconds: 0)) }
        o.attribute("b", "kept")
        o.element("C", "text")
        #expect(String(decoding: o.finish(), as: UTF8.self)
                == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<E a=\"x\" b=\"kept\"><C>text</C></E>\n")
    }

    @Test func idsAndTimesPrintAsTheirText() {
        let ids = ["f47ac10b-58cc-4372-a567-0e02b2c3d479", "00000000-0000-0000-0000-000000000000",
                   "ffffffff-ffff-ffff-ffff-ffffffffffff", "0123456789ab-not-a-uuid", "26", "F47AC10B-58CC-4372-A567-0E02B2C3D479"]
        for text in ids {
            var o = XMLOutput()
            o.start("E")
            o.attribute("id") { $0.id(CompactID(text)) }
            #expect(String(decoding: o.finish(), as: UTF8.self).contains("id=\"\(text)\""), "\(text)")
        }
        for ms: Int64 in [0, 1, 999, -1, -86_400_001, 1_714_557_600_123, 253_402_300_799_999, 253_402_300_800_000,
                          -62_167_219_200_000, -62_167_219_200_001] {
            let t = Timestamp(milliseconds: ms)
            var o = XMLOutput()
            o.start("E")
            o.attribute("t") { $0.time(t) }
            #expect(String(decoding: o.finish(), as: UTF8.self).hasSuffix("<E t=\"\(t.iso8601)\"/>\n"), "\(ms)")
        }
    }

    // MARK: whole documents against the oracle

    static func tasks() -> [CloudTask] {
        let start = Timestamp(milliseconds: 1_714_557_600_123)
        var out: [CloudTask] = []
        for (i, status) in TaskStatus.allCases.enumerated() {
            let id = i % 2 == 0 ? "f47ac10b-58cc-4372-a567-0e02b2c3d4\(10 + i)" : "t\(i)"
            var t = CloudTask(id: id, orgID: "26", name: Self.awkward[i % Self.awkward.count], status: status,
                              startTime: start, expiryTime: Timestamp(milliseconds: 253_402_300_800_000 + Int64(i)))
            out.append(t)
            t.id = id + "-full"
            t.operationKey = "k\0ey"
            t.operation = "op <\(i)>"
            t.operationName = "é"
            t.serviceNamespace = "org.example"
            t.description = "line\r\n"
            t.owner = Reference(href: "http://h/api/org/26?a=1&b=2", name: nil, type: "t\"")
            t.error = TaskError(message: "m&", majorErrorCode: 400 + i, minorErrorCode: "BAD", vendorSpecificErrorCode: nil,
                                stackTrace: "é\n")
            t.user = [EntityRef.user(id: "u<1>", name: "bob"), .org(id: "26", name: "acme"), .task(id: "t\0x", name: "n"),
                      .external(Reference(href: "h\t", name: "x", type: nil))][i % 4]
            t.organization = .org(id: "o&", name: "ü")
            t.progress = i * 10
            t.details = "d\0etails"
            t.endTime = Timestamp(milliseconds: -1 - Int64(i))
            t.cancelRequested = i % 2 == 1
            out.append(t)
        }
        return out
    }

    @Test func tasksListAndTaskMatchTheWholeStringRendering() {
        for base in Self.bases {
            let hrefs = Hrefs(base: base)
            let tasks = Self.tasks()
            for orgID in ["26", "o&\0x"] {
                #expect(TaskDocument.tasksList(orgID: orgID, tasks: tasks, hrefs: hrefs) == Oracle.tasksList(orgID, tasks, hrefs),
                        "base \(base.debugDescription), org \(orgID.debugDescription)")
                #expect(TaskDocument.tasksList(orgID: orgID, tasks: [], hrefs: hrefs) == Oracle.tasksList(orgID, [], hrefs))
            }
            for t in tasks {
                let w = XMLWriter()
                Oracle.task(t, w, hrefs, root: true)
                #expect(TaskDocument.task(t, hrefs: hrefs) == w.finish(), "\(t.id.debugDescription)")
            }
        }
    }

    @Test func orgListMatchesTheWholeStringRendering() {
        let orgs = Self.awkward.enumerated().map { (id: $0.offset % 2 == 0 ? "f47ac10b-58cc-4372-a567-0e02b2c3d479" : "id\($0.element)",
                                                    name: $0.element) }
        for base in Self.bases {
            let hrefs = Hrefs(base: base)
            #expect(OrgDocument.orgList(OrgNames(orgs), hrefs: hrefs) == Oracle.orgList(orgs, hrefs), "\(base.debugDescription)")
            #expect(OrgDocument.orgList(OrgNames([]), hrefs: hrefs) == Oracle.orgList([], hrefs))
        }
    }
}

/// The renderers as they were before they wrote in parts (commit 3c9528f), over `XMLWriter` and Strings.
private enum Oracle {
    static func orgList(_ orgs: [(id: String, name: String)], _ hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.start("OrgList")
        w.attribute("xmlns", Namespace.vcloud)
        w.attribute("type", MediaType.orgList)
        w.attribute("href", hrefs.orgList)
        for org in orgs { reference(w, "Org", href: hrefs.org(org.id), type: MediaType.org, name: org.name) }
        w.end()
        return w.finish()
    }

    static func tasksList(_ orgID: String, _ tasks: [CloudTask], _ hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.start("TasksList")
        w.attribute("xmlns", Namespace.vcloud)
        w.attribute("href", hrefs.tasksList(orgID))
        w.attribute("type", MediaType.tasksList)
        w.attribute("name", "Tasks Lists")
        for task in tasks { self.task(task, w, hrefs, root: false) }
        w.end()
        return w.finish()
    }

    static func task(_ t: CloudTask, _ w: XMLWriter, _ hrefs: Hrefs, root: Bool) {
        w.start("Task")
        if root { w.attribute("xmlns", Namespace.vcloud) }
        w.attribute("href", hrefs.task(t.id))
        w.attribute("type", MediaType.task)
        w.attribute("id", urn("task", t.id))
        w.attribute("operationKey", t.operationKey)
        w.attribute("name", t.name)
        w.attribute("status", t.status.rawValue)
        w.attribute("operation", t.operation)
        w.attribute("operationName", t.operationName)
        w.attribute("serviceNamespace", t.serviceNamespace)
        w.attribute("startTime", t.startTime.iso8601)
        w.attribute("endTime", t.endTime?.iso8601)
        w.attribute("expiryTime", t.expiryTime.iso8601)
        w.attribute("cancelRequested", t.cancelRequested ? "true" : "false")
        if !t.status.isTerminal {
            w.start("Link")
            w.attribute("rel", "task:cancel")
            w.attribute("href", hrefs.task(t.id) + "/action/cancel")
            w.end()
        }
        if let d = t.description, !d.isEmpty { w.element("Description", d) }
        if let owner = t.owner { reference(w, "Owner", href: owner.href, type: owner.type, name: owner.name) }
        if let error = t.error {
            w.start("Error")
            w.attribute("majorErrorCode", String(error.majorErrorCode))
            w.attribute("message", error.message)
            w.attribute("minorErrorCode", error.minorErrorCode)
            w.attribute("vendorSpecificErrorCode", error.vendorSpecificErrorCode)
            w.attribute("stackTrace", error.stackTrace)
            w.end()
        }
        for (element, ref) in [("User", t.user), ("Organization", t.organization)] {
            guard let ref else { continue }
            switch ref {
            case .user(let id, let name): reference(w, element, href: hrefs.user(id), type: MediaType.user, name: name)
            case .org(let id, let name): reference(w, element, href: hrefs.org(id), type: MediaType.org, name: name)
            case .task(let id, let name): reference(w, element, href: hrefs.task(id), type: MediaType.task, name: name)
            case .external(let r): reference(w, element, href: r.href, type: r.type, name: r.name)
            }
        }
        if let progress = t.progress { w.element("Progress", String(progress)) }
        if let details = t.details { w.element("Details", details) }
        w.end()
    }

    static func reference(_ w: XMLWriter, _ element: String, href: String, type: String?, name: String?) {
        w.start(element)
        w.attribute("type", type)
        w.attribute("name", name)
        w.attribute("href", href)
        w.end()
    }
}
