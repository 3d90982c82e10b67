import Synchronization
import Testing
import VCDCore

/// Service tasks on the Store: who may create, update and cancel them, and what they must hold (§4.3–4.7).
@Suite struct StoreTasksTests {
    let clock = TestClock()
    let store: Store
    let sysadmin: Principal
    let alice: Principal  // org administrator of acme
    let dave: Principal  // plain user of acme
    let bob: Principal  // org administrator of globex

    init() throws {
        store = TestWorld.store(clock: clock)
        sysadmin = try store.login(user: "administrator", org: "System", password: "vmware")
        alice = try store.login(user: "alice", org: "acme", password: "alice")
        dave = try store.login(user: "dave", org: "acme", password: "dave")
        bob = try store.login(user: "bob", org: "globex", password: "bob")
    }

    func draft(status: String = "running") -> TaskDraft {
        TaskDraft(name: "task", status: status, serviceNamespace: "org.example.vcd.backup")
    }

    func runningTask() throws -> VCDCore.CloudTask {
        try store.createTask(in: TestWorld.acmeID, draft(), by: sysadmin)
    }

    // MARK: Create

    @Test func sysadminCreatesATaskWithServerOwnedFields() throws {
        let task = try runningTask()
        #expect(task.id.hasPrefix("00000000-0000-4000-8000-"), "ids come from the injected generator")
        #expect(task.orgID == "26")
        #expect(task.name == "task")
        #expect(task.status == .running)
        #expect(task.serviceNamespace == "org.example.vcd.backup")
        #expect(task.startTime == TestWorld.start)
        #expect(task.expiryTime.iso8601 == "2024-07-30T10:00:00.000Z")
        #expect(task.endTime == nil)
        #expect(task.cancelRequested == false)
        #expect(task.error == nil)
    }

    @Test func createdTaskDefaultsUserToCallerAndOrganizationToTheTasksListOrg() throws {
        let task = try runningTask()
        #expect(task.user == .user(id: "u-admin", name: "administrator"))
        #expect(task.organization == .org(id: "26", name: "acme"))
    }

    @Test func createdTaskKeepsTheClientsFields() throws {
        var d = draft()
        d.operation = "Backup in progress"
        d.operationName = "backupInProgress"
        d.operationKey = "key-1"
        d.description = "nightly"
        d.owner = Reference(href: "https://h/api/org/26", name: "acme", type: "application/vnd.vmware.vcloud.org+xml")
        d.user = Reference(href: "https://h/api/admin/user/39", name: "bob")
        d.progress = 10
        d.details = "d"
        let task = try store.createTask(in: TestWorld.acmeID, d, by: sysadmin)
        #expect(task.operation == "Backup in progress")
        #expect(task.operationName == "backupInProgress")
        #expect(task.operationKey == "key-1")
        #expect(task.description == "nightly")
        #expect(task.owner == d.owner)
        #expect(task.user == .external(Reference(href: "https://h/api/admin/user/39", name: "bob")))
        #expect(task.progress == 10)
        #expect(task.details == "d")
    }

    @Test func createdTaskIsListedInItsOrgInCreationOrder() throws {
        let first = try runningTask()
        let second = try runningTask()
        let (org, tasks) = try store.tasks(in: TestWorld.acmeID, for: sysadmin)
        #expect(org.name == "acme")
        #expect(tasks.map(\.id) == [first.id, second.id])
    }

    @Test func orgAdministratorMayNotCreateTasks() {
        #expect(throws: DomainError.forbidden("Only a system administrator may create tasks in a tasks list; log in to org System.")) {
            try store.createTask(in: TestWorld.acmeID, draft(), by: alice)
        }
    }

    @Test func plainUserMayNotCreateTasks() {
        #expect(throws: DomainError.forbidden("Only a system administrator may create tasks in a tasks list; log in to org System.")) {
            try store.createTask(in: TestWorld.acmeID, draft(), by: dave)
        }
    }

    @Test func orgAdministratorOfSystemIsNotASysadmin() throws {
        let op = try store.login(user: "operator", org: "System", password: "operator")
        #expect(throws: DomainError.forbidden("Only a system administrator may create tasks in a tasks list; log in to org System.")) {
            try store.createTask(in: TestWorld.acmeID, draft(), by: op)
        }
    }

    @Test func createInUnknownOrgIsNoAccessToTheOrg() {
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.org:99\".")) {
            try store.createTask(in: "99", draft(), by: sysadmin)
        }
    }

    @Test func nameIsRequired() {
        #expect(throws: DomainError.badRequest("The Task attribute \"name\" is required.")) {
            try store.createTask(in: TestWorld.acmeID, TaskDraft(status: "running", serviceNamespace: "org.example"), by: sysadmin)
        }
    }

    @Test func emptyNameCountsAsMissing() {
        #expect(throws: DomainError.badRequest("The Task attribute \"name\" is required.")) {
            try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "", status: "running", serviceNamespace: "org.example"), by: sysadmin)
        }
    }

    @Test func statusIsRequired() {
        #expect(throws: DomainError.badRequest("The Task attribute \"status\" is required.")) {
            try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", serviceNamespace: "org.example"), by: sysadmin)
        }
    }

    @Test func unknownStatusIsRejectedListingTheValidOnes() {
        #expect(throws: DomainError.badRequest("Task status \"done\" is not valid; use one of: queued, preRunning, running, success, error, canceled, aborted.")) {
            try store.createTask(in: TestWorld.acmeID, draft(status: "done"), by: sysadmin)
        }
    }

    @Test func statusIsCaseSensitive() {
        #expect(throws: DomainError.badRequest("Task status \"Running\" is not valid; use one of: queued, preRunning, running, success, error, canceled, aborted.")) {
            try store.createTask(in: TestWorld.acmeID, draft(status: "Running"), by: sysadmin)
        }
    }

    @Test func serviceNamespaceIsRequired() {
        #expect(throws: DomainError.badRequest("The Task attribute \"serviceNamespace\" is required for service tasks (e.g. org.example.vcd.backup).")) {
            try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", status: "running"), by: sysadmin)
        }
    }

    @Test(arguments: ["com.vmware.vcloud", "com.vmware.vcloud.backup"])
    func serviceNamespaceMustNotBeVMwaresOwn(_ ns: String) {
        #expect(throws: DomainError.badRequest("serviceNamespace \"\(ns)\" is reserved: it must not start with com.vmware.vcloud.")) {
            try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", status: "running", serviceNamespace: ns), by: sysadmin)
        }
    }

    @Test func otherVMwareNamespacesAreAllowed() throws {
        let task = try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", status: "running", serviceNamespace: "com.vmware.cse"), by: sysadmin)
        #expect(task.serviceNamespace == "com.vmware.cse")
    }

    @Test func serviceNamespaceOf128CharactersIsAccepted() throws {
        let ns = String(repeating: "n", count: 128)
        let task = try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", status: "running", serviceNamespace: ns), by: sysadmin)
        #expect(task.serviceNamespace == ns)
    }

    @Test func serviceNamespaceOf129CharactersIsRejected() {
        #expect(throws: DomainError.badRequest("serviceNamespace is longer than 128 characters.")) {
            try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", status: "running",
                                                                 serviceNamespace: String(repeating: "n", count: 129)), by: sysadmin)
        }
    }

    @Test(arguments: [0, 100])
    func progressAtTheBoundsIsAccepted(_ value: Int) throws {
        var d = draft()
        d.progress = value
        #expect(try store.createTask(in: TestWorld.acmeID, d, by: sysadmin).progress == value)
    }

    @Test(arguments: [-1, 101])
    func progressOutsideZeroToHundredIsRejected(_ value: Int) {
        var d = draft()
        d.progress = value
        #expect(throws: DomainError.badRequest("Task Progress \(value) is outside 0...100.")) {
            try store.createTask(in: TestWorld.acmeID, d, by: sysadmin)
        }
    }

    @Test func rejectedCreateLeavesTheTasksListEmpty() throws {
        var d = draft()
        d.progress = 101
        _ = try? store.createTask(in: TestWorld.acmeID, d, by: sysadmin)
        #expect(try store.tasks(in: TestWorld.acmeID, for: sysadmin).1.isEmpty)
    }

    @Test func createdAsTerminalGetsEndTimeNow() throws {
        clock.advance(milliseconds: 5_000)
        let task = try store.createTask(in: TestWorld.acmeID, draft(status: "success"), by: sysadmin)
        #expect(task.endTime == TestWorld.start.adding(milliseconds: 5_000))
        #expect(task.error == nil)
    }

    @Test(arguments: ["error", "canceled", "aborted"])
    func failedStatusesWithoutAnErrorGetADefaultOne(_ status: String) throws {
        let task = try store.createTask(in: TestWorld.acmeID, draft(status: status), by: sysadmin)
        #expect(task.error == TaskError(message: "The task ended with status \"\(status)\".",
                                        majorErrorCode: 500, minorErrorCode: "INTERNAL_SERVER_ERROR"))
    }

    @Test func clientsErrorIsKeptVerbatim() throws {
        var d = draft(status: "error")
        d.error = TaskError(message: "failed", majorErrorCode: 500, minorErrorCode: "INTERNAL_SERVER_ERROR", stackTrace: "")
        let task = try store.createTask(in: TestWorld.acmeID, d, by: sysadmin)
        #expect(task.error == d.error)
    }

    // MARK: Update

    @Test func sysadminUpdatesProgressDetailsAndOperation() throws {
        let task = try runningTask()
        var d = TaskDraft()
        d.progress = 55
        d.details = "half way"
        d.operation = "Copying"
        d.operationName = "copy"
        let updated = try store.updateTask(task.id, d, by: sysadmin)
        #expect(updated.status == .running)
        #expect(updated.progress == 55)
        #expect(updated.details == "half way")
        #expect(updated.operation == "Copying")
        #expect(updated.operationName == "copy")
        #expect(updated.endTime == nil)
        #expect(try store.task(task.id, for: sysadmin) == updated)
    }

    @Test func updateLeavesServerOwnedFieldsAlone() throws {
        let task = try runningTask()
        clock.advance(milliseconds: 60_000)
        let updated = try store.updateTask(task.id, draft(), by: sysadmin)
        #expect(updated.id == task.id)
        #expect(updated.startTime == task.startTime)
        #expect(updated.expiryTime == task.expiryTime)
        #expect(updated.user == task.user)
        #expect(updated.organization == task.organization)
    }

    @Test func orgAdministratorMayNotUpdateTasks() throws {
        let task = try runningTask()
        #expect(throws: DomainError.forbidden("Only a system administrator may update a service task; log in to org System.")) {
            try store.updateTask(task.id, draft(status: "success"), by: alice)
        }
        #expect(try store.task(task.id, for: sysadmin).status == .running)
    }

    @Test func updateWithUnknownStatusIsRejected() throws {
        let task = try runningTask()
        #expect(throws: DomainError.badRequest("Task status \"finished\" is not valid; use one of: queued, preRunning, running, success, error, canceled, aborted.")) {
            try store.updateTask(task.id, draft(status: "finished"), by: sysadmin)
        }
    }

    @Test(arguments: [-1, 101])
    func updateWithProgressOutOfBoundsIsRejected(_ value: Int) throws {
        let task = try runningTask()
        var d = TaskDraft()
        d.progress = value
        #expect(throws: DomainError.badRequest("Task Progress \(value) is outside 0...100.")) {
            try store.updateTask(task.id, d, by: sysadmin)
        }
    }

    @Test func reachingATerminalStatusSetsEndTimeToNow() throws {
        let task = try runningTask()
        clock.advance(milliseconds: 90_000)
        let done = try store.updateTask(task.id, draft(status: "success"), by: sysadmin)
        #expect(done.status == .success)
        #expect(done.endTime?.iso8601 == "2024-05-01T10:01:30.000Z")
        #expect(done.error == nil)
    }

    @Test(arguments: ["error", "canceled", "aborted"])
    func updatingToAFailedStatusAlwaysCarriesAnError(_ status: String) throws {
        let task = try runningTask()
        let failed = try store.updateTask(task.id, draft(status: status), by: sysadmin)
        #expect(failed.error?.message == "The task ended with status \"\(status)\".")
    }

    @Test func updatingToErrorKeepsTheServicesError() throws {
        let task = try runningTask()
        var d = draft(status: "error")
        d.error = TaskError(message: "disk full", majorErrorCode: 500, minorErrorCode: "INTERNAL_SERVER_ERROR")
        #expect(try store.updateTask(task.id, d, by: sysadmin).error == d.error)
    }

    @Test func failedTaskKeepsItsErrorWhenLaterUpdatesOmitIt() throws {
        let task = try runningTask()
        var d = draft(status: "error")
        d.error = TaskError(message: "disk full")
        _ = try store.updateTask(task.id, d, by: sysadmin)
        var details = TaskDraft()
        details.details = "see log"
        let again = try store.updateTask(task.id, details, by: sysadmin)
        #expect(again.error == TaskError(message: "disk full"))
        #expect(again.details == "see log")
    }

    @Test func finishedTaskCannotChangeStatus() throws {
        let task = try runningTask()
        _ = try store.updateTask(task.id, draft(status: "success"), by: sysadmin)
        #expect(throws: DomainError.badRequest("Task \(task.id) already finished with status \"success\"; it cannot become \"running\".")) {
            try store.updateTask(task.id, draft(status: "running"), by: sysadmin)
        }
        #expect(try store.task(task.id, for: sysadmin).status == .success)
    }

    @Test func failedTaskCannotBecomeSuccessful() throws {
        let task = try store.createTask(in: TestWorld.acmeID, draft(status: "error"), by: sysadmin)
        #expect(throws: DomainError.badRequest("Task \(task.id) already finished with status \"error\"; it cannot become \"success\".")) {
            try store.updateTask(task.id, draft(status: "success"), by: sysadmin)
        }
    }

    @Test func finishedTaskKeepsItsFirstEndTime() throws {
        let task = try store.createTask(in: TestWorld.acmeID, draft(status: "success"), by: sysadmin)
        clock.advance(milliseconds: 10_000)
        var d = TaskDraft()
        d.details = "late note"
        let updated = try store.updateTask(task.id, d, by: sysadmin)
        #expect(updated.endTime == TestWorld.start)
        #expect(updated.details == "late note")
    }

    // MARK: Cancel

    @Test func cancelEndsTheTaskAsCanceledWithAnError() throws {
        let task = try runningTask()
        clock.advance(milliseconds: 1_000)
        let canceled = try store.cancelTask(task.id, by: sysadmin)
        #expect(canceled.status == .canceled)
        #expect(canceled.cancelRequested == true)
        #expect(canceled.endTime == TestWorld.start.adding(milliseconds: 1_000))
        #expect(canceled.error == TaskError(message: "The task was canceled by administrator@System.",
                                            majorErrorCode: 400, minorErrorCode: "BAD_REQUEST"))
    }

    @Test func aPlainUserOfTheTasksOrgMayNotCancelSomeoneElsesTask() throws {
        let task = try runningTask()
        #expect(throws: DomainError.forbidden("Only the task's user, an administrator of its org or a system administrator may cancel task \(task.id).")) {
            try store.cancelTask(task.id, by: dave)
        }
        #expect(try store.task(task.id, for: sysadmin).status == .running)
    }

    @Test func finishedTaskCannotBeCanceled() throws {
        let task = try store.createTask(in: TestWorld.acmeID, draft(status: "success"), by: sysadmin)
        #expect(throws: DomainError.badRequest("Task \(task.id) already finished with status \"success\" and cannot be canceled.")) {
            try store.cancelTask(task.id, by: sysadmin)
        }
    }

    @Test func tenantCannotCancelAnotherOrgsTask() throws {
        let task = try runningTask()
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.task:\(task.id)\".")) {
            try store.cancelTask(task.id, by: bob)
        }
        #expect(try store.task(task.id, for: sysadmin).status == .running)
    }

    // MARK: Reading and unknown ids

    @Test func tenantReadsTasksOfItsOwnOrg() throws {
        let task = try runningTask()
        #expect(try store.task(task.id, for: dave) == task)
    }

    @Test func tenantCannotReadAnotherOrgsTask() throws {
        let task = try runningTask()
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.task:\(task.id)\".")) {
            try store.task(task.id, for: bob)
        }
    }

    @Test func tenantCannotListAnotherOrgsTasks() {
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.org:26\".")) {
            try store.tasks(in: TestWorld.acmeID, for: bob)
        }
    }

    @Test func readingAnUnknownTaskIsForbiddenNotNotFound() {
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.task:nope\".")) {
            try store.task("nope", for: sysadmin)
        }
    }

    @Test func updatingAnUnknownTaskIsForbidden() {
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.task:nope\".")) {
            try store.updateTask("nope", draft(), by: sysadmin)
        }
    }

    @Test func cancelingAnUnknownTaskIsForbidden() {
        #expect(throws: DomainError.forbidden("No access to entity \"com.vmware.vcloud.entity.task:nope\".")) {
            try store.cancelTask("nope", by: sysadmin)
        }
    }
}
