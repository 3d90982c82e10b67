import VCDCore

extension MediaType {
    public static let blockingTask = "application/vnd.vmware.admin.blockingTask+xml"
    public static let blockingTaskList = "application/vnd.vmware.admin.blockingTaskList+xml"
    public static let blockingTaskSettings = "application/vnd.vmware.admin.blockingTaskSettings+xml"
    public static let taskOperationList = "application/vnd.vmware.admin.taskOperationList+xml"
    public static let blockingTaskOperationParams = "application/vnd.vmware.admin.blockingTaskOperationParams+xml"
    public static let blockingTaskUpdateProgressParams = "application/vnd.vmware.admin.blockingTaskUpdateProgressOperationParams+xml"
}

/// `BlockingTaskSettings`, `BlockingTaskOperations`, `BlockingTask`, `BlockingTaskReferences` and the action
/// bodies (vapps reference §9.2, §9.5–§9.7). vmext roots; links and the Operation/Organization/User/TaskOwner
/// children in the v1.5 namespace, as the schema declares them.
public enum BlockingTaskDocument {
    public static func settingsHref(_ h: Hrefs) -> String { h.api("admin/extension/settings/blockingTask") }
    public static func operationsHref(_ h: Hrefs) -> String { settingsHref(h) + "/operations" }
    public static func listHref(_ h: Hrefs) -> String { h.api("admin/extension/blockingTasks/") }
    public static func href(_ id: String, _ h: Hrefs) -> String { h.api("admin/extension/blockingTask/\(id)") }

    /// Children in settings.xsd order: TimeoutAction, BlockingTaskOperations, TimeoutInMilliseconds.
    public static func settings(_ s: BlockingTaskSettings, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.vmextRoot("BlockingTaskSettings")
        w.attribute("type", MediaType.blockingTaskSettings)
        w.attribute("href", settingsHref(hrefs))
        w.vcloudLink(rel: "down", type: MediaType.taskOperationList, href: operationsHref(hrefs))
        w.element("vmext:TimeoutAction", s.timeoutAction.rawValue)
        operationList(w, s.operations, hrefs: hrefs, root: false)
        w.element("vmext:TimeoutInMilliseconds", String(s.timeoutMillis))
        w.end()
        return w.finish()
    }

    /// `GET …/settings/blockingTask/operations`: the list alone.
    public static func operations(_ ops: [String], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        operationList(w, ops, hrefs: hrefs, root: true)
        return w.finish()
    }

    private static func operationList(_ w: XMLWriter, _ ops: [String], hrefs: Hrefs, root: Bool) {
        if root {
            w.vmextRoot("BlockingTaskOperations")
            w.attribute("type", MediaType.taskOperationList)
            w.attribute("href", operationsHref(hrefs))
            w.vcloudLink(rel: "up", type: MediaType.blockingTaskSettings, href: settingsHref(hrefs))
        } else {
            w.start("vmext:BlockingTaskOperations")
        }
        for op in ops { w.element("vcloud:Operation", op) }
        w.end()
    }

    public static func blockingTask(_ b: BlockingTask, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.vmextRoot("BlockingTask")
        w.attribute("createdTime", b.created.iso8601)
        w.attribute("timeoutDate", b.timeoutDate.iso8601)
        w.attribute("timeoutAction", b.timeoutAction.rawValue)
        w.attribute("status", b.status.rawValue)
        w.attribute("name", b.operationName)
        w.attribute("id", urn("blockingTask", b.id))
        w.attribute("type", MediaType.blockingTask)
        w.attribute("href", href(b.id, hrefs))
        w.vcloudLink(rel: "up", type: MediaType.task, href: hrefs.task(b.taskID))
        if b.status == .active {  // a decided blocking task offers no more actions
            for rel in ["resume", "abort", "fail"] {
                w.vcloudLink(rel: rel, type: MediaType.blockingTaskOperationParams, href: href(b.id, hrefs) + "/action/" + rel)
            }
            w.vcloudLink(rel: "updateProgress", type: MediaType.blockingTaskUpdateProgressParams,
                         href: href(b.id, hrefs) + "/action/updateProgress")
        }
        if let m = b.message, !m.isEmpty { w.element("vcloud:Description", m) }
        reference(w, "vcloud:Organization", href: hrefs.adminOrg(b.orgID), type: "application/vnd.vmware.admin.organization+xml",
                  name: b.orgName)
        if case .user(let id, let name) = b.user {
            reference(w, "vcloud:User", href: hrefs.user(id), type: MediaType.user, name: name)
        }
        if let o = b.owner { reference(w, "vcloud:TaskOwner", href: o.href, type: o.type, name: o.name ?? "") }
        w.end()
        return w.finish()
    }

    /// `vmext:BlockingTaskReferences`: an up link to the extension root, then one Reference each.
    public static func list(_ all: [BlockingTask], hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.vmextRoot("BlockingTaskReferences")
        w.attribute("type", MediaType.blockingTaskList)
        w.attribute("href", listHref(hrefs))
        w.vcloudLink(rel: "up", type: MediaType.vmwExtension, href: hrefs.api("admin/extension"))
        for b in all { reference(w, "vcloud:Reference", href: href(b.id, hrefs), type: MediaType.blockingTask, name: b.operationName) }
        w.end()
        return w.finish()
    }

    private static func reference(_ w: XMLWriter, _ element: String, href: String, type: String?, name: String?) {
        w.start(element)
        w.attribute("type", type)
        w.attribute("name", name)
        w.attribute("href", href)
        w.end()
    }

    // MARK: Bodies

    /// A PUT of the settings: TimeoutAction and TimeoutInMilliseconds are required, the operation list may
    /// be absent (nothing blocks); order is not enforced (lenient, reference §1.5).
    public static func decodeSettings(_ root: ParsedElement) throws(XMLParseError) -> BlockingTaskSettings {
        try expectRoot(root, "BlockingTaskSettings", namespace: Namespace.vmext)
        guard let actionText = try root.vmextChild("TimeoutAction")?.text.trimmed else {
            throw XMLParseError(description: "BlockingTaskSettings needs a TimeoutAction element (resume, abort or fail).")
        }
        guard let action = BlockingTaskAction(rawValue: actionText) else {
            throw XMLParseError(description: "TimeoutAction \"\(actionText)\" is not one of resume, abort, fail.")
        }
        guard let timeoutText = try root.vmextChild("TimeoutInMilliseconds")?.text else {
            throw XMLParseError(description: "BlockingTaskSettings needs a TimeoutInMilliseconds element (milliseconds, 0 or more).")
        }
        let timeout = try milliseconds(timeoutText, "TimeoutInMilliseconds")
        let ops = try root.vmextChild("BlockingTaskOperations").map(operationNames) ?? []
        return BlockingTaskSettings(timeoutAction: action, operations: ops, timeoutMillis: timeout)
    }

    /// A PUT of `…/operations`: a `vmext:BlockingTaskOperations` root.
    public static func decodeOperations(_ root: ParsedElement) throws(XMLParseError) -> [String] {
        try expectRoot(root, "BlockingTaskOperations", namespace: Namespace.vmext)
        return try operationNames(root)
    }

    /// `Operation` children in the v1.5 namespace, or unprefixed/vmext as some SDKs write them (§9.2).
    static func operationNames(_ list: ParsedElement) throws(XMLParseError) -> [String] {
        var out: [String] = []
        for child in list.children where child.name == "Operation" {
            let name = child.text.trimmed
            guard !name.isEmpty else { throw XMLParseError(description: "An Operation element is empty; give a task operationName such as vdcInstantiateVapp.") }
            if !out.contains(name) { out.append(name) }
        }
        return out
    }

    /// resume, abort and fail: `BlockingTaskOperationParams` with its required Message.
    public static func decodeOperationParams(_ root: ParsedElement) throws(XMLParseError) -> String {
        try expectRoot(root, "BlockingTaskOperationParams", namespace: Namespace.vmext)
        return try message(root)
    }

    /// updateProgress: Message, and TimeoutValueInMilliseconds when the deadline moves.
    public static func decodeUpdateProgress(_ root: ParsedElement) throws(XMLParseError) -> (message: String, timeoutMillis: Int64?) {
        try expectRoot(root, "BlockingTaskUpdateProgressParams", namespace: Namespace.vmext)
        let m = try message(root)
        let t = try root.vmextChild("TimeoutValueInMilliseconds").map { e throws(XMLParseError) in
            try milliseconds(e.text, "TimeoutValueInMilliseconds")
        }
        return (m, t)
    }

    private static func message(_ root: ParsedElement) throws(XMLParseError) -> String {
        guard let m = try root.vmextChild("Message") else {
            throw XMLParseError(description: "\(root.name) needs a Message element (in namespace \(Namespace.vmext)).")
        }
        return m.text
    }

    private static func milliseconds(_ text: String, _ name: String) throws(XMLParseError) -> Int64 {
        guard let n = Int64(text.trimmed), n >= 0 else {
            throw XMLParseError(description: "\(name) \"\(text)\" is not a whole number of milliseconds, 0 or more.")
        }
        return n
    }
}
