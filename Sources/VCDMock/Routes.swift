import VCDHTTP
import VCDXML

/// The map of the API: every path the mock serves, its method and the handler behind it.
enum Routes {
    static func table() -> Router<Endpoint> {
        var r = Router<Endpoint>()
        // Discovery and login (reference §2)
        r.add("GET", "/api/versions", name: "Versions.list", .anonymous(negotiates: false, Versions.list))
        r.add("POST", "/api/sessions", name: "Sessions.login", .anonymous(Sessions.login))
        r.add("GET", "/api/session", name: "Sessions.current", .session(Sessions.current))
        r.add("DELETE", "/api/session", name: "Sessions.logout", .session(Sessions.logout))

        // Organizations, user view (§3.1, §3.2)
        r.add("GET", "/api/org", name: "Orgs.list", .session(Orgs.list))
        r.add("GET", "/api/org/{id}", name: "Orgs.get", .session(Orgs.get))
        r.add("GET", "/api/org/{id}/metadata", name: "Orgs.metadata", .session(Orgs.metadata))
        r.add("GET", "/api/vdc/{id}", name: "Inventory.vdc", .session(Inventory.vdc))
        r.add("GET", "/api/catalog/{id}", name: "Inventory.catalog", .session(Inventory.catalog))
        r.add("GET", "/api/network/{id}", name: "Inventory.network", .session(Inventory.network))

        // Administration (§3.3, §3.4)
        r.add("GET", "/api/admin", name: "Admin.vcloud", .session(Admin.vcloud))
        r.add("GET", "/api/admin/org/{id}", name: "Admin.org", .session(Admin.org))
        r.add("GET", "/api/admin/org/{id}/metadata", name: "Admin.metadata", .session(Admin.metadata))
        r.add("POST", "/api/admin/org/{id}/events", name: "Events.post",
              .session(body: [MediaType.adminEvent, MediaType.event], Events.post))
        r.add("GET", "/api/admin/user/{id}", name: "Admin.user", .session(Admin.user))
        r.add("GET", "/api/admin/catalog/{id}", name: "Inventory.adminCatalog", .session(Inventory.adminCatalog))
        r.add("GET", "/api/admin/network/{id}", name: "Inventory.adminNetwork", .session(Inventory.adminNetwork))
        r.add("GET", "/api/admin/extension", name: "Admin.extension", .session(Admin.extension_))
        r.add("GET", "/api/query", name: "Admin.queryList", .session(Admin.queryList))

        // Notifications: broker settings and the on/off switch (§6.1, §6.2)
        r.add("GET", "/api/admin/extension/settings/amqp", name: "AmqpSettingsAPI.get", .session(AmqpSettingsAPI.get))
        r.add("PUT", "/api/admin/extension/settings/amqp", name: "AmqpSettingsAPI.put",
              .session(body: [MediaType.amqpSettings], AmqpSettingsAPI.put))
        r.add("POST", "/api/admin/extension/settings/amqp/action/test", name: "AmqpSettingsAPI.test",
              .session(body: [MediaType.amqpSettings], AmqpSettingsAPI.test))
        r.add("GET", "/api/admin/extension/settings/notifications", name: "AmqpSettingsAPI.getNotifications",
              .session(AmqpSettingsAPI.getNotifications))
        r.add("PUT", "/api/admin/extension/settings/notifications", name: "AmqpSettingsAPI.putNotifications",
              .session(body: [MediaType.notificationsSettings], AmqpSettingsAPI.putNotifications))

        // Extension services (§5)
        let service = "/api/admin/extension/service"
        r.add("GET", "/api/admin/extension/settings", name: "Extensions.settings", .session(Extensions.settings))
        r.add("GET", service, name: "Extensions.list", .session(Extensions.list))
        r.add("POST", service, name: "Extensions.register", .session(body: [MediaType.service], Extensions.register))
        r.add("GET", service + "/apifilter/{id}", name: "Extensions.filter", .session(Extensions.filter))
        r.add("DELETE", service + "/apifilter/{id}", name: "Extensions.deleteFilter", .session(Extensions.deleteFilter))
        r.add("GET", service + "/{id}", name: "Extensions.get", .session(Extensions.get))
        r.add("PUT", service + "/{id}", name: "Extensions.update",
              .session(bodyOrUntyped: [MediaType.service], Extensions.update))
        r.add("DELETE", service + "/{id}", name: "Extensions.delete", .session(Extensions.delete))
        r.add("GET", service + "/{id}/apifilters", name: "Extensions.filters", .session(Extensions.filters))
        r.add("POST", service + "/{id}/apifilters", name: "Extensions.addFilter",
              .session(body: [MediaType.apiFilter], Extensions.addFilter))

        // Tasks (§4)
        r.add("GET", "/api/tasksList/{id}", name: "Tasks.list", .session(Tasks.list))
        r.add("POST", "/api/tasksList/{id}", name: "Tasks.create", .session(body: [MediaType.task], Tasks.create))
        r.add("GET", "/api/task/{id}", name: "Tasks.get", .session(Tasks.get))
        r.add("PUT", "/api/task/{id}", name: "Tasks.update", .session(body: [MediaType.task], Tasks.update))
        r.add("POST", "/api/task/{id}/action/cancel", name: "Tasks.cancel", .session(Tasks.cancel))

        // Control API for tests (JSON; loopback or a sysadmin token)
        r.add("GET", "/mock/amqp", name: "Control.amqp", .anonymous(negotiates: false, Control.amqp))
        r.add("GET", "/mock/events", name: "Control.events", .anonymous(negotiates: false, Control.events))
        r.add("GET", "/mock/extensions", name: "Control.extensions", .anonymous(negotiates: false, Control.extensions))
        r.add("GET", "/mock/health", name: "Control.health", .anonymous(negotiates: false, Control.health))
        r.add("GET", "/mock/about", name: "Control.about", .anonymous(negotiates: false, Control.about))
        r.add("GET", "/mock/requests", name: "Control.requests", .anonymous(negotiates: false, Control.requests))
        r.add("DELETE", "/mock/requests", name: "Control.clearRequests", .anonymous(negotiates: false, Control.clearRequests))
        r.add("GET", "/mock/openapi.yaml", name: "Control.openAPI", .anonymous(negotiates: false, Control.openAPI))
        r.add("GET", "/mock/messages", name: "Control.messages", .anonymous(negotiates: false, Control.messages))
        r.add("DELETE", "/mock/messages", name: "Control.clearMessages", .anonymous(negotiates: false, Control.clearMessages))
        r.add("GET", "/mock/wait", name: "WaitControl.now", .anonymous(negotiates: false, WaitControl.now))
        r.add("GET", "/mock/clock", name: "ClockControl.get", .anonymous(negotiates: false, ClockControl.get))
        r.add("POST", "/mock/clock", name: "ClockControl.post", .anonymous(negotiates: false, ClockControl.post))
        r.add("POST", "/mock/reset", name: "StateControl.reset", .anonymous(negotiates: false, StateControl.reset))
        r.add("POST", "/mock/orgs/{name}/reset", name: "StateControl.resetOrg", .anonymous(negotiates: false, StateControl.resetOrg))
        r.add("GET", "/mock/state", name: "StateControl.get", .anonymous(negotiates: false, StateControl.get))
        r.add("PUT", "/mock/state", name: "StateControl.put", .anonymous(negotiates: false, StateControl.put))
        r.add("POST", "/mock/fixtures", name: "StateControl.addFixtures", .anonymous(negotiates: false, StateControl.addFixtures))
        r.add("GET", "/mock/faults", name: "FaultControl.list", .anonymous(negotiates: false, FaultControl.list))
        r.add("POST", "/mock/faults", name: "FaultControl.add", .anonymous(negotiates: false, FaultControl.add))
        r.add("DELETE", "/mock/faults", name: "FaultControl.clear", .anonymous(negotiates: false, FaultControl.clear))
        r.add("DELETE", "/mock/faults/{id}", name: "FaultControl.delete", .anonymous(negotiates: false, FaultControl.delete))
        return r
    }
}
