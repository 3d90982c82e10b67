extension MediaType {
    public static let systemSettings = "application/vnd.vmware.admin.systemSettings+xml"
}

/// `vmext:SystemSettings` (§5.1): every child of SystemSettingsType is optional, so the mock shows only
/// links to the settings it serves, which is how clients navigate to them.
public enum SystemSettingsDocument {
    public static func href(_ hrefs: Hrefs) -> String { hrefs.api("admin/extension/settings") }

    public static func settings(hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.start("vmext:SystemSettings")
        w.attribute("xmlns", Namespace.vcloud)
        w.attribute("xmlns:vmext", Namespace.vmext)
        w.attribute("href", href(hrefs))
        w.attribute("type", MediaType.systemSettings)
        w.link(rel: "up", type: MediaType.vmwExtension, href: hrefs.api("admin/extension"))
        w.link(rel: "down", type: MediaType.amqpSettings, href: AMQPSettingsDocument.settingsHref(hrefs))
        w.link(rel: "down", type: MediaType.notificationsSettings, href: AMQPSettingsDocument.notificationsHref(hrefs))
        w.link(rel: "down", type: MediaType.blockingTaskSettings, href: BlockingTaskDocument.settingsHref(hrefs))
        w.end()
        return w.finish()
    }
}
