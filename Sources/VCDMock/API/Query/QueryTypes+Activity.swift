import VCDCore
import VCDXML

/// Tasks, recorded events and the extension registry as query records (reference §7.2, §7.3).
enum ActivityQueryTypes {
    static func tasks(_ s: QuerySnapshot) -> [Indexed<CloudTask>] { RowTable(s.tasks, orgNames: s.orgNames).rows }

    static func task(admin: Bool) -> RecordType<Indexed<CloudTask>> {
        var attributes: [QueryAttribute<Indexed<CloudTask>>] = [
            .link("org") { .org($0.value.orgID) },
            .string("orgName") { $0.orgName },
            .string("name") { $0.value.name },
            .string("operationFull") { $0.value.operation },
            .string("operationName") { $0.value.operationName },
            .date("startDate") { $0.value.startTime },
            .date("endDate") { $0.value.endTime },
            .string("status") { $0.value.status.rawValue },
            .int("progress") { $0.value.progress },
            .string("ownerName") { $0.value.user?.name },
            .link("object") { $0.value.owner.map { .external($0.href) } },
            .string("objectType") { $0.value.owner?.type.flatMap(shortTypeName) },
            .string("objectName") { $0.value.owner?.name },
            .string("serviceNamespace") { $0.value.serviceNamespace },
            .string("message") { $0.value.error?.message },
        ]
        if admin {
            attributes.append(.link("owner") { $0.value.user?.link })
            attributes.append(.constant("cellName", .string("vcd-mock")))
        }
        return RecordType(name: admin ? "adminTask" : "task", record: admin ? "AdminTaskRecord" : "TaskRecord",
                          reference: admin ? "AdminTask" : "Task", entityType: MediaType.task,
                          access: admin ? .sysadmin : .everyone, source: .tasks, rows: tasks,
                          link: { .task($0.value.id) }, label: { $0.value.name }, attributes: attributes)
    }

    static func events(_ s: QuerySnapshot) -> [Indexed<Event>] { RowTable(s.events, orgNames: s.orgNames).rows }

    /// Every recorded event: logins, task changes, posted and extension events. Events are not entities:
    /// records carry no href; idrecords and references identify them as `urn:vcloud:event:<id>`.
    static func event(admin: Bool) -> RecordType<Indexed<Event>> {
        var attributes: [QueryAttribute<Indexed<Event>>] = [
            .string("eventType") { $0.value.type },
            .date("timeStamp") { $0.value.timestamp },
            // Not documented; 0 for success and 1 for failure (reference §7.2, §13 item 9).
            .int("eventStatus") { $0.value.success ? 0 : 1 },
            .string("userName") { $0.value.user.name },
            .string("orgName") { $0.orgName },
            .link("entity") { $0.value.entity?.link },
            .string("entityType") { $0.value.entity?.typeName },
            .string("entityName") { $0.value.entity?.name },
            .string("serviceNamespace") { $0.value.serviceNamespace.isEmpty ? nil : $0.value.serviceNamespace },
            .string("description") { $0.value.typeFull.isEmpty ? nil : $0.value.typeFull },
        ]
        if admin {
            attributes += [
                .string("eventId") { $0.value.id },
                .link("org") { .org($0.value.orgID) },
                .constant("productVersion", .string("5.5.0")),
            ]
        }
        return RecordType(name: admin ? "adminEvent" : "event", record: admin ? "AdminEventRecord" : "EventRecord",
                          reference: admin ? "AdminEvent" : "Event", entityType: MediaType.event,
                          access: admin ? .sysadmin : .orgAdministrators, source: .events, rows: events,
                          link: { _ in nil }, urn: { urn("event", $0.value.id) }, label: { $0.value.type },
                          attributes: attributes)
    }

    static let adminService = RecordType<ExtensionService>(
        name: "adminService", record: "AdminServiceRecord", reference: "AdminService", entityType: MediaType.service,
        access: .sysadmin, source: .services, rows: { $0.services }, link: { .service($0.id) }, label: { $0.name },
        attributes: [
            .string("name") { $0.name },
            .string("namespace") { $0.namespace },
            .string("description") { $0.description.isEmpty ? nil : $0.description },
            .bool("enabled") { $0.enabled },
            .string("exchange") { $0.exchange },
            .string("routingKey") { $0.routingKey },
            .int("priority") { $0.priority },
            .string("vendor") { $0.vendor },
            .bool("isAuthorizationEnabled") { $0.authorizationEnabled },
        ])

    struct FilterRow: Sendable {
        let filter: APIFilter
        let serviceID: String
    }

    static let apiFilter = RecordType<FilterRow>(
        name: "apiFilter", record: "ApiFilterRecord", reference: "ApiFilter", entityType: MediaType.apiFilter,
        access: .sysadmin, source: .services,
        rows: { s in s.services.flatMap { svc in svc.filters.map { FilterRow(filter: $0, serviceID: svc.id) } } },
        link: { .apiFilter($0.filter.id) }, label: { $0.filter.urlPattern },
        attributes: [
            .string("urlPattern") { $0.filter.urlPattern },
            .link("service") { .service($0.serviceID) },
        ])
}

extension Indexed where T == CloudTask {
    var orgName: String { table.orgNames[value.orgID] ?? "" }
}

extension Indexed where T == Event {
    var orgName: String { table.orgNames[value.orgID] ?? "" }
}
