import VCDCore

/// `Task` and `TasksList` (reference §4), attributes and children in XSD order.
public enum TaskDocument {
    public static func task(_ task: CloudTask, hrefs: Hrefs) -> [UInt8] {
        var o = XMLOutput(capacity: 1024)
        write(task, to: &o, hrefs: hrefs, root: true, fragments: nil)
        return o.finish()
    }

    /// Written straight into one buffer sized for the list (about 650 bytes a task at a short base URL).
    public static func tasksList(orgID: String, tasks: [CloudTask], hrefs: Hrefs) -> [UInt8] {
        var o = XMLOutput(capacity: 512 + tasks.count * (600 + 2 * hrefs.base.utf8.count))
        o.start("TasksList")
        o.attribute("xmlns", Namespace.vcloud)
        o.attribute("href") { $0.href(hrefs, "tasksList/", orgID) }
        o.attribute("type", MediaType.tasksList)
        o.attribute("name", "Tasks Lists")
        let fragments = Fragments(hrefs)
        for task in tasks { write(task, to: &o, hrefs: hrefs, root: false, fragments: fragments) }
        o.end()
        return o.finish()
    }

    static func write(_ t: CloudTask, to w: XMLWriter, hrefs: Hrefs, root: Bool) {
        w.withOutput { write(t, to: &$0, hrefs: hrefs, root: root, fragments: nil) }
    }

    /// What every task of a document repeats, escaped once.
    struct Fragments {
        let type = Fragment.attribute("type", MediaType.task)
        /// `base/api/task/`
        let href: Fragment
        init(_ hrefs: Hrefs) { href = .value { $0.href(hrefs, "task/", "") } }
    }

    /// Hrefs, the URN and times are written in parts: no String is made for them. A list passes
    /// `Fragments`; one task is cheaper without (making them costs more than escaping twice).
    static func write(_ t: CloudTask, to o: inout XMLOutput, hrefs: Hrefs, root: Bool, fragments f: Fragments?) {
        let id = t.compactID
        func taskHref(_ o: inout XMLOutput) {
            if let f { o.fragment(f.href) } else { o.href(hrefs, "task/", "") }
        }
        o.start("Task")
        if root { o.attribute("xmlns", Namespace.vcloud) }
        o.attribute("href") { taskHref(&$0); $0.id(id) }
        if let f { o.markup(f.type) } else { o.attribute("type", MediaType.task) }
        o.attribute("id") { $0.raw("urn:vcloud:task:"); $0.id(id) }
        o.attribute("operationKey", t.operationKey)
        o.attribute("name", t.name)
        o.attribute("status", t.status.rawValue)
        o.attribute("operation", t.operation)
        o.attribute("operationName", t.operationName)
        o.attribute("serviceNamespace", t.serviceNamespace)
        o.attribute("startTime") { $0.time(t.startTime) }
        if let end = t.endTime { o.attribute("endTime") { $0.time(end) } }
        o.attribute("expiryTime") { $0.time(t.expiryTime) }
        o.attribute("cancelRequested", t.cancelRequested ? "true" : "false")
        if !t.status.isTerminal {
            o.start("Link")
            o.attribute("rel", "task:cancel")
            o.attribute("href") { taskHref(&$0); $0.id(id); $0.raw("/action/cancel") }
            o.end()
        }
        o.description(t.description)
        if let owner = t.owner { o.reference("Owner", type: owner.type, name: owner.name) { $0.value(owner.href) } }
        if let error = t.error {
            o.start("Error")
            o.attribute("majorErrorCode", String(error.majorErrorCode))
            o.attribute("message", error.message)
            o.attribute("minorErrorCode", error.minorErrorCode)
            o.attribute("vendorSpecificErrorCode", error.vendorSpecificErrorCode)
            o.attribute("stackTrace", error.stackTrace)
            o.end()
        }
        if let user = t.user { entity("User", user, &o, hrefs) }
        if let org = t.organization { entity("Organization", org, &o, hrefs) }
        if let progress = t.progress { o.element("Progress", String(progress)) }
        if let details = t.details { o.element("Details", details) }
        o.end()
    }

    static func entity(_ element: StaticString, _ ref: EntityRef, _ o: inout XMLOutput, _ hrefs: Hrefs) {
        switch ref {
        case .user(let id, let name): o.reference(element, type: MediaType.user, name: name) { $0.href(hrefs, "admin/user/", id) }
        case .org(let id, let name): o.reference(element, type: MediaType.org, name: name) { $0.href(hrefs, "org/", id) }
        case .task(let id, let name): o.reference(element, type: MediaType.task, name: name) { $0.href(hrefs, "task/", id) }
        case .external(let r): o.reference(element, type: r.type, name: r.name) { $0.value(r.href) }
        }
    }

    /// Reads a client's Task body; server-owned attributes (id, href, times) are ignored.
    public static func decode(_ root: ParsedElement) throws(XMLParseError) -> TaskDraft {
        try expectRoot(root, "Task")
        var d = TaskDraft(name: root["name"], status: root["status"], serviceNamespace: root["serviceNamespace"])
        d.operation = root["operation"]
        d.operationName = root["operationName"]
        d.operationKey = root["operationKey"]
        d.description = root.child("Description")?.text
        d.owner = reference(root.child("Owner"))
        d.user = reference(root.child("User"))
        d.organization = reference(root.child("Organization"))
        d.details = root.child("Details")?.text
        if let progress = root.child("Progress") {
            guard let value = Int(progress.text.trimmed) else {
                throw XMLParseError(description: "Task Progress \"\(progress.text)\" is not an integer.")
            }
            d.progress = value
        }
        if let e = root.child("Error") {
            guard let message = e["message"] else {
                throw XMLParseError(description: "The Task's Error element needs a message attribute.")
            }
            d.error = TaskError(message: message,
                                majorErrorCode: Int(e["majorErrorCode"] ?? "") ?? 500,
                                minorErrorCode: e["minorErrorCode"] ?? "INTERNAL_SERVER_ERROR",
                                vendorSpecificErrorCode: e["vendorSpecificErrorCode"], stackTrace: e["stackTrace"])
        }
        return d
    }

    static func reference(_ e: ParsedElement?) -> Reference? {
        guard let e, let href = e["href"] else { return nil }
        return Reference(href: href, name: e["name"], type: e["type"])
    }
}

/// Checks that a body is the element a resource expects, in the v1.5 namespace.
public func expectRoot(_ root: ParsedElement, _ name: String, namespace: String = Namespace.vcloud) throws(XMLParseError) {
    guard root.name == name else {
        throw XMLParseError(description: "Expected a \(name) element but the body holds \(root.name).")
    }
    guard root.namespace == namespace else {
        throw XMLParseError(description: "The \(name) element must be in namespace \(namespace) (add xmlns=\"\(namespace)\").")
    }
}
