import VCDCore

extension MediaType {
    public static let amqpSettings = "application/vnd.vmware.admin.amqpSettings+xml"
    public static let amqpSettingsTest = "application/vnd.vmware.admin.amqpSettingsTest+xml"
    public static let notificationsSettings = "application/vnd.vmware.admin.notificationsSettings+xml"
}

/// `AmqpSettings`, `AmqpSettingsTest` (§6.1) and `NotificationsSettings` (§6.2), all in the vmext namespace;
/// their links stay `vcloud:Link` because pyvcloud only finds links in the v1.5 namespace.
public enum AMQPSettingsDocument {
    public static func settingsHref(_ hrefs: Hrefs) -> String { hrefs.api("admin/extension/settings/amqp") }
    public static func notificationsHref(_ hrefs: Hrefs) -> String {
        hrefs.api("admin/extension/settings/notifications")
    }

    /// Children in settings.xsd order; the password is never echoed (vCD returns it empty).
    public static func settings(_ s: AMQPSettings, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        root(w, "AmqpSettings", type: MediaType.amqpSettings, href: settingsHref(hrefs))
        link(w, rel: "test", type: MediaType.amqpSettingsTest, href: settingsHref(hrefs) + "/action/test")
        w.element("vmext:AmqpHost", s.host)
        w.element("vmext:AmqpPort", String(s.port))
        w.element("vmext:AmqpUsername", s.username)
        w.start("vmext:AmqpPassword")
        w.end()
        w.element("vmext:AmqpExchange", s.exchange)
        w.element("vmext:AmqpVHost", s.vhost)
        w.element("vmext:AmqpUseSSL", s.useSSL ? "true" : "false")
        w.element("vmext:AmqpSslAcceptAll", s.sslAcceptAll ? "true" : "false")
        w.element("vmext:AmqpPrefix", s.prefix)
        w.end()
        return w.finish()
    }

    /// Reads a PUT or test body over `current`: absent children keep their value, and so does an empty
    /// password, because clients PUT back what they GET and GET never shows the password.
    public static func decodeSettings(_ root: ParsedElement, current: AMQPSettings) throws(XMLParseError) -> AMQPSettings {
        try expectRoot(root, "AmqpSettings", namespace: Namespace.vmext)
        var s = current
        if let host = try value(root, "AmqpHost") {
            let trimmed = host.trimmed
            guard !trimmed.isEmpty else { throw XMLParseError(description: "AmqpHost must not be empty.") }
            s.host = trimmed
        }
        if let port = try value(root, "AmqpPort") {
            guard let n = Int(port.trimmed), (1...65535).contains(n) else {
                throw XMLParseError(description: "AmqpPort \"\(port)\" is not an integer between 1 and 65535.")
            }
            s.port = n
        }
        if let username = try value(root, "AmqpUsername") { s.username = username }
        if let password = try value(root, "AmqpPassword"), !password.isEmpty { s.password = password }
        if let exchange = try value(root, "AmqpExchange") { s.exchange = exchange }
        if let vhost = try value(root, "AmqpVHost") { s.vhost = vhost }
        if let useSSL = try boolean(root, "AmqpUseSSL") { s.useSSL = useSSL }
        if let acceptAll = try boolean(root, "AmqpSslAcceptAll") { s.sslAcceptAll = acceptAll }
        if let prefix = try value(root, "AmqpPrefix") { s.prefix = prefix }
        return s
    }

    /// The answer to `POST …/settings/amqp/action/test`. The XSD names the error child `error`
    /// (lower case, vmext namespace, ErrorType attributes); it is written only when `valid` is false.
    public static func test(valid: Bool, error: (status: Int, minor: String, message: String)?,
                            hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        root(w, "AmqpSettingsTest", type: MediaType.amqpSettingsTest, href: nil)
        link(w, rel: "up", type: MediaType.amqpSettings, href: settingsHref(hrefs))
        w.element("vmext:Valid", valid ? "true" : "false")
        if !valid, let error {
            w.start("vmext:error")
            w.attribute("majorErrorCode", String(error.status))
            w.attribute("message", error.message)
            w.attribute("minorErrorCode", error.minor)
            w.end()
        }
        w.end()
        return w.finish()
    }

    public static func notifications(enabled: Bool, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        root(w, "NotificationsSettings", type: MediaType.notificationsSettings, href: notificationsHref(hrefs))
        w.element("vmext:EnableNotifications", enabled ? "true" : "false")
        w.end()
        return w.finish()
    }

    /// `EnableNotifications` is the document's only field, so a PUT without it is an error.
    public static func decodeNotifications(_ root: ParsedElement) throws(XMLParseError) -> Bool {
        try expectRoot(root, "NotificationsSettings", namespace: Namespace.vmext)
        guard let enabled = try boolean(root, "EnableNotifications") else {
            throw XMLParseError(description: "NotificationsSettings needs an EnableNotifications element (true/false).")
        }
        return enabled
    }

    // MARK: Helpers

    private static func root(_ w: XMLWriter, _ name: String, type: String, href: String?) {
        w.vmextRoot(name)
        w.attribute("type", type)
        w.attribute("href", href)
    }

    private static func link(_ w: XMLWriter, rel: String, type: String, href: String) {
        w.vcloudLink(rel: rel, type: type, href: href)
    }

    private static func value(_ root: ParsedElement, _ name: String) throws(XMLParseError) -> String? {
        try root.vmextChild(name)?.text
    }

    /// xs:boolean: true, false, 1 or 0.
    private static func boolean(_ root: ParsedElement, _ name: String) throws(XMLParseError) -> Bool? {
        guard let text = try value(root, name) else { return nil }
        guard let value = xsBoolean(text) else {
            throw XMLParseError(description: "\(name) \"\(text)\" is not a boolean (true, false, 1 or 0).")
        }
        return value
    }
}
