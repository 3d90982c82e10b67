import VCDHTTP
import VCDXML

/// The map of the vCloud API: every path the mock serves, its method and the handler behind it.
/// The control API (`/mock`) has its own table in Control/ControlRoutes.swift.
enum Routes {
    static func table() -> Router<Endpoint> {
        var r = Router<Endpoint>()
        // Discovery and login (reference §2)
        r.add("GET", "/api/versions", name: "VersionEndpoints.list", .anonymous(negotiates: false, VersionEndpoints.list))
        r.add("POST", "/api/sessions", name: "SessionEndpoints.login", .anonymous(SessionEndpoints.login))
        r.add("GET", "/api/session", name: "SessionEndpoints.current", .session(SessionEndpoints.current))
        r.add("DELETE", "/api/session", name: "SessionEndpoints.logout", .session(SessionEndpoints.logout))
        r.add("POST", "/cloudapi/1.0.0/sessions", name: "CloudAPISessions.tenantLogin", .anonymous(CloudAPISessions.tenantLogin))
        r.add("POST", "/cloudapi/1.0.0/sessions/provider", name: "CloudAPISessions.providerLogin", .anonymous(CloudAPISessions.providerLogin))
        r.add("GET", "/cloudapi/1.0.0/sessions/current", name: "CloudAPISessions.current", .session(CloudAPISessions.current))
        r.add("DELETE", "/cloudapi/1.0.0/sessions/current", name: "CloudAPISessions.logout", .session(CloudAPISessions.logout))
        r.add("DELETE", "/cloudapi/1.0.0/sessions/{id}", name: "CloudAPISessions.logoutByID", .session(CloudAPISessions.logoutByID))

        // Organizations, user view (§3.1, §3.2)
        r.add("GET", "/api/org", name: "OrgEndpoints.list", .session(OrgEndpoints.list))
        r.add("GET", "/api/org/{id}", name: "OrgEndpoints.get", .session(OrgEndpoints.get))
        r.add("GET", "/api/vdc/{id}", name: "VAppEndpoints.vdc", .session(VAppEndpoints.vdc))
        r.add("GET", "/api/catalog/{id}", name: "VAppEndpoints.catalog", .session(VAppEndpoints.catalog))
        r.add("GET", "/api/network/{id}", name: "InventoryEndpoints.network", .session(InventoryEndpoints.network))

        // Administration (§3.3, §3.4)
        r.add("GET", "/api/admin", name: "AdminEndpoints.vcloud", .session(AdminEndpoints.vcloud))
        r.add("GET", "/api/admin/org/{id}", name: "AdminEndpoints.org", .session(AdminEndpoints.org))
        r.add("POST", "/api/admin/org/{id}/events", name: "EventEndpoints.post",
              .session(body: [MediaType.adminEvent, MediaType.event], EventEndpoints.post))
        r.add("GET", "/api/admin/catalog/{id}", name: "InventoryEndpoints.adminCatalog", .session(InventoryEndpoints.adminCatalog))
        r.add("GET", "/api/admin/network/{id}", name: "InventoryEndpoints.adminNetwork", .session(InventoryEndpoints.adminNetwork))
        r.add("GET", "/api/admin/extension", name: "AdminEndpoints.extension", .session(AdminEndpoints.extensionRoot))
        r.add("GET", "/api/query", name: "QueryEndpoints.query", .session(QueryEndpoints.query))

        // Orgs and users at run time, roles (§3.3, §3.4)
        r.add("POST", "/api/admin/orgs", name: "AdminOrgEndpoints.create", .session(body: [MediaType.adminOrg], AdminOrgEndpoints.create))
        r.add("PUT", "/api/admin/org/{id}", name: "AdminOrgEndpoints.update", .session(body: [MediaType.adminOrg], AdminOrgEndpoints.update))
        r.add("DELETE", "/api/admin/org/{id}", name: "AdminOrgEndpoints.delete", .session(AdminOrgEndpoints.delete))
        r.add("POST", "/api/admin/org/{id}/action/enable", name: "AdminOrgEndpoints.enable", .session(AdminOrgEndpoints.enable))
        r.add("POST", "/api/admin/org/{id}/action/disable", name: "AdminOrgEndpoints.disable", .session(AdminOrgEndpoints.disable))
        r.add("POST", "/api/admin/org/{id}/users", name: "UserEndpoints.create", .session(body: [MediaType.user], UserEndpoints.create))
        r.add("GET", "/api/admin/user/{id}", name: "UserEndpoints.get", .session(UserEndpoints.get))
        r.add("PUT", "/api/admin/user/{id}", name: "UserEndpoints.update", .session(body: [MediaType.user], UserEndpoints.update))
        r.add("DELETE", "/api/admin/user/{id}", name: "UserEndpoints.delete", .session(UserEndpoints.delete))
        r.add("GET", "/api/admin/role/{id}", name: "UserEndpoints.role", .session(UserEndpoints.role))

        // Metadata of orgs, vdcs, catalogs, users and tasks (§8); the entity resolver (§3.5)
        MetadataEndpoints.add(to: &r)
        r.add("GET", "/api/entity/{urn}", name: "EntityResolverEndpoints.resolve", .session(EntityResolverEndpoints.resolve))

        // Notifications: broker settings and the on/off switch (§6.1, §6.2)
        r.add("GET", "/api/admin/extension/settings/amqp", name: "AMQPSettingsEndpoints.get", .session(AMQPSettingsEndpoints.get))
        r.add("PUT", "/api/admin/extension/settings/amqp", name: "AMQPSettingsEndpoints.put",
              .session(body: [MediaType.amqpSettings], AMQPSettingsEndpoints.put))
        r.add("POST", "/api/admin/extension/settings/amqp/action/test", name: "AMQPSettingsEndpoints.test",
              .session(body: [MediaType.amqpSettings], AMQPSettingsEndpoints.test))
        r.add("GET", "/api/admin/extension/settings/notifications", name: "AMQPSettingsEndpoints.getNotifications",
              .session(AMQPSettingsEndpoints.getNotifications))
        r.add("PUT", "/api/admin/extension/settings/notifications", name: "AMQPSettingsEndpoints.putNotifications",
              .session(body: [MediaType.notificationsSettings], AMQPSettingsEndpoints.putNotifications))

        // Blocking tasks and their settings (vapps reference §9)
        let blocking = "/api/admin/extension/blockingTask"
        r.add("GET", "/api/admin/extension/settings/blockingTask", name: "BlockingTaskEndpoints.getSettings", .session(BlockingTaskEndpoints.getSettings))
        r.add("PUT", "/api/admin/extension/settings/blockingTask", name: "BlockingTaskEndpoints.putSettings",
              .session(body: [MediaType.blockingTaskSettings], BlockingTaskEndpoints.putSettings))
        r.add("GET", "/api/admin/extension/settings/blockingTask/operations", name: "BlockingTaskEndpoints.getOperations",
              .session(BlockingTaskEndpoints.getOperations))
        r.add("PUT", "/api/admin/extension/settings/blockingTask/operations", name: "BlockingTaskEndpoints.putOperations",
              .session(body: [MediaType.taskOperationList], BlockingTaskEndpoints.putOperations))
        r.add("GET", "/api/admin/extension/blockingTasks", name: "BlockingTaskEndpoints.list", .session(BlockingTaskEndpoints.list))
        r.add("GET", blocking + "/{id}", name: "BlockingTaskEndpoints.get", .session(BlockingTaskEndpoints.get))
        r.add("POST", blocking + "/{id}/action/{action}", name: "BlockingTaskEndpoints.action",
              .session(body: [MediaType.blockingTaskOperationParams, MediaType.blockingTaskUpdateProgressParams], BlockingTaskEndpoints.action))

        // Extension services (§5)
        let service = "/api/admin/extension/service"
        r.add("GET", "/api/admin/extension/settings", name: "ExtensionServiceEndpoints.settings", .session(ExtensionServiceEndpoints.settings))
        r.add("GET", service, name: "ExtensionServiceEndpoints.list", .session(ExtensionServiceEndpoints.list))
        r.add("POST", service, name: "ExtensionServiceEndpoints.register", .session(body: [MediaType.service], ExtensionServiceEndpoints.register))
        r.add("GET", service + "/apifilter/{id}", name: "ExtensionServiceEndpoints.filter", .session(ExtensionServiceEndpoints.filter))
        r.add("DELETE", service + "/apifilter/{id}", name: "ExtensionServiceEndpoints.deleteFilter", .session(ExtensionServiceEndpoints.deleteFilter))
        r.add("GET", service + "/{id}", name: "ExtensionServiceEndpoints.get", .session(ExtensionServiceEndpoints.get))
        r.add("PUT", service + "/{id}", name: "ExtensionServiceEndpoints.update",
              .session(bodyOrUntyped: [MediaType.service], ExtensionServiceEndpoints.update))
        r.add("DELETE", service + "/{id}", name: "ExtensionServiceEndpoints.delete", .session(ExtensionServiceEndpoints.delete))
        r.add("GET", service + "/{id}/apifilters", name: "ExtensionServiceEndpoints.filters", .session(ExtensionServiceEndpoints.filters))
        r.add("POST", service + "/{id}/apifilters", name: "ExtensionServiceEndpoints.addFilter",
              .session(body: [MediaType.apiFilter], ExtensionServiceEndpoints.addFilter))

        // Tasks (§4)
        r.add("GET", "/api/tasksList/{id}", name: "TaskEndpoints.list", .session(TaskEndpoints.list))
        r.add("POST", "/api/tasksList/{id}", name: "TaskEndpoints.create", .session(body: [MediaType.task], TaskEndpoints.create))
        r.add("GET", "/api/task/{id}", name: "TaskEndpoints.get", .session(TaskEndpoints.get))
        r.add("PUT", "/api/task/{id}", name: "TaskEndpoints.update", .session(body: [MediaType.task], TaskEndpoints.update))
        r.add("POST", "/api/task/{id}/action/cancel", name: "TaskEndpoints.cancel", .session(TaskEndpoints.cancel))

        // vApp templates, vApps and VMs (vapps reference §2-§6)
        r.add("GET", "/api/catalogItem/{id}", name: "VAppEndpoints.catalogItem", .session(VAppEndpoints.catalogItem))
        r.add("GET", "/api/vAppTemplate/{id}", name: "VAppEndpoints.template", .session(VAppEndpoints.template))
        r.add("POST", "/api/vdc/{id}/action/instantiateVAppTemplate", name: "VAppEndpoints.instantiate",
              .session(body: [MediaType.instantiateParams], VAppEndpoints.instantiate))
        r.add("POST", "/api/vdc/{id}/action/composeVApp", name: "VAppEndpoints.compose",
              .session(body: [MediaType.composeParams], VAppEndpoints.compose))
        r.add("GET", "/api/vApp/{id}", name: "VAppEndpoints.get", .session(VAppEndpoints.get))
        r.add("DELETE", "/api/vApp/{id}", name: "VAppEndpoints.delete", .session(VAppEndpoints.delete))
        r.add("POST", "/api/vApp/{id}/power/action/{action}", name: "VAppEndpoints.power", .session(VAppEndpoints.power))
        r.add("POST", "/api/vApp/{id}/action/deploy", name: "VAppEndpoints.deploy", .session(bodyOrUntyped: [MediaType.deployParams], VAppEndpoints.deploy))
        r.add("POST", "/api/vApp/{id}/action/undeploy", name: "VAppEndpoints.undeploy",
              .session(bodyOrUntyped: [MediaType.undeployParams], VAppEndpoints.undeploy))
        r.add("GET", "/api/vApp/{id}/controlAccess", name: "VAppEndpoints.controlAccess", .session(VAppEndpoints.controlAccess))
        r.add("GET", "/api/vApp/{id}/owner", name: "VAppEndpoints.owner", .session(VAppEndpoints.owner))
        r.add("GET", "/api/vApp/{id}/metadata", name: "VAppEndpoints.metadata", .session(VAppEndpoints.metadata))

        ControlRoutes.add(to: &r)
        return r
    }
}
