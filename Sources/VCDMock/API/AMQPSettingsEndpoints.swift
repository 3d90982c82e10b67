import VCDAMQP
import VCDCore
import VCDXML

/// `/api/admin/extension/settings/amqp` and `/notifications` (§6.1, §6.2), system administrators only.
enum AMQPSettingsEndpoints {
    static func get(_ c: Context) throws(APIError) -> Reply {
        let notifier = try sysadminNotifier(c)
        return .ok(MediaType.amqpSettings, AMQPSettingsDocument.settings(notifier.settings, hrefs: c.hrefs))
    }

    /// 200 with the new settings; the publisher reconnects and keeps what it had queued.
    static func put(_ c: Context) throws(APIError) -> Reply {
        let notifier = try sysadminNotifier(c)
        let settings = try decode(c, current: notifier.settings)
        notifier.update(settings)
        c.bridge.reconfigure(endpoint: Notifier.endpoint(settings))
        return .ok(MediaType.amqpSettings, AMQPSettingsDocument.settings(settings, hrefs: c.hrefs))
    }

    /// Really connects and logs in with the posted settings (password included).
    static func test(_ c: Context) throws(APIError) -> Reply {
        let notifier = try sysadminNotifier(c)
        let settings = try decode(c, current: notifier.settings)
        let problem = AMQPProbe.check(Notifier.endpoint(settings))
        let error = problem.map { (status: 500, minor: "INTERNAL_SERVER_ERROR", message: $0) }
        return .ok(MediaType.amqpSettingsTest, AMQPSettingsDocument.test(valid: problem == nil, error: error, hrefs: c.hrefs))
    }

    static func getNotifications(_ c: Context) throws(APIError) -> Reply {
        let notifier = try sysadminNotifier(c)
        return .ok(MediaType.notificationsSettings, AMQPSettingsDocument.notifications(enabled: notifier.enabled, hrefs: c.hrefs))
    }

    static func putNotifications(_ c: Context) throws(APIError) -> Reply {
        let notifier = try sysadminNotifier(c)
        let enabled = try c.decodeBody(AMQPSettingsDocument.decodeNotifications)
        notifier.setEnabled(enabled)
        return .ok(MediaType.notificationsSettings, AMQPSettingsDocument.notifications(enabled: enabled, hrefs: c.hrefs))
    }

    static func sysadminNotifier(_ c: Context) throws(APIError) -> Notifier {
        guard try c.caller.isSysadmin else {
            throw .forbidden("Only a system administrator may read or change the AMQP settings.")
        }
        return c.notifier
    }

    static func decode(_ c: Context, current: AMQPSettings) throws(APIError) -> AMQPSettings {
        try c.decodeBody { root throws(XMLParseError) in try AMQPSettingsDocument.decodeSettings(root, current: current) }
    }
}
