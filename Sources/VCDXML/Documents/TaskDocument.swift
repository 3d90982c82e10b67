import VCDCore

/// `Task` and `TasksList` (reference §4), attributes and children in XSD order.
public enum TaskDocument {
    public static func task(_ task: CloudTask, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        write(task, to: w, hrefs: hrefs, root: true)
        return w.finish()
    }

    public static func tasksList(orgID: String, tasks: [CloudTask], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("TasksList")
        w.attribute("href", hrefs.tasksList(orgID))
        w.attribute("type", MediaType.tasksList)
        w.attribute("name", "Tasks Lists")
        for task in tasks { write(task, to: w, hrefs: hrefs, root: false) }
        w.end()
        return w.finish()
    }

    static func write(_ t: CloudTask, to w: XMLWriter, hrefs: Hrefs, root: Bool) {
        if root { w.root("Task") } else { w.start("Task") }
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
            w.link(rel: "task:cancel", type: nil, href: hrefs.task(t.id) + "/action/cancel")
        }
        w.description(t.description)
        if let owner = t.owner { w.reference("Owner", href: owner.href, type: owner.type, name: owner.name) }
        if let error = t.error {
            w.start("Error")
            w.attribute("majorErrorCode", String(error.majorErrorCode))
            w.attribute("message", error.message)
            w.attribute("minorErrorCode", error.minorErrorCode)
            w.attribute("vendorSpecificErrorCode", error.vendorSpecificErrorCode)
            w.attribute("stackTrace", error.stackTrace)
            w.end()
        }
        if let user = t.user { entity("User", user, w, hrefs) }
        if let org = t.organization { entity("Organization", org, w, hrefs) }
        if let progress = t.progress { w.element("Progress", String(progress)) }
        if let details = t.details { w.element("Details", details) }
        w.end()
    }

    static func entity(_ element: String, _ ref: EntityRef, _ w: XMLWriter, _ hrefs: Hrefs) {
        switch ref {
        case .user(let id, let name): w.reference(element, href: hrefs.user(id), type: MediaType.user, name: name)
        case .org(let id, let name): w.reference(element, href: hrefs.org(id), type: MediaType.org, name: name)
        case .task(let id, let name): w.reference(element, href: hrefs.task(id), type: MediaType.task, name: name)
        case .external(let r): w.reference(element, href: r.href, type: r.type, name: r.name)
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
