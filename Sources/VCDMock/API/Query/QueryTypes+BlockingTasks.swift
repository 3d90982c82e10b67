import VCDCore
import VCDXML

/// `type=blockingTask` (vapps reference §7.1, §7.2): system administrators only, like the list it mirrors.
enum BlockingTaskQueryTypes {
    typealias Entry = (blockingTask: BlockingTask, jobStatus: TaskStatus?)

    static func rows(_ s: QuerySnapshot) -> [Indexed<Entry>] { RowTable(s.blockingTasks, orgNames: s.orgNames).rows }

    /// The 5.5 BlockingTaskRecord attributes; `owner` is the blocked task's object and `jobStatus` the
    /// blocked task's status (the schema does not say more).
    static let blockingTask = RecordType<Indexed<Entry>>(
        name: "blockingTask", record: "BlockingTaskRecord", reference: "BlockingTask", entityType: MediaType.blockingTask,
        access: .sysadmin, source: .blockingTasks, rows: rows,
        link: { .blockingTask($0.value.blockingTask.id) }, label: { $0.value.blockingTask.operationName },
        attributes: [
            .string("status") { $0.value.blockingTask.status.rawValue },
            .string("operationName") { $0.value.blockingTask.operationName },
            .link("owner") { $0.value.blockingTask.owner.map { .external($0.href) } },
            .string("ownerName") { $0.value.blockingTask.owner?.name },
            .bool("hasOwner") { $0.value.blockingTask.owner != nil },
            .link("originatingOrg") { .org($0.value.blockingTask.orgID) },
            .string("originatingOrgName") { $0.value.blockingTask.orgName },
            .date("creationDate") { $0.value.blockingTask.created },
            .date("expirationTime") { $0.value.blockingTask.timeoutDate },
            .string("timeoutAction") { $0.value.blockingTask.timeoutAction.rawValue },
            .link("task") { .task($0.value.blockingTask.taskID) },
            .string("jobStatus") { $0.value.jobStatus?.rawValue },
            .string("description") { $0.value.blockingTask.message },
        ])
}
