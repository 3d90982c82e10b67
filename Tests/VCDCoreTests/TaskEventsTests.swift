import Testing
import VCDCore

/// The event (type and operationSuccess) each task transition records, as README's notification table
/// promises: complete/true, fail/false, abort/false for a PUT to aborted, abort/true for the cancel action.
@Suite struct TaskEventsTests {
    let store = TestWorld.store()
    let sysadmin: Principal

    init() throws {
        sysadmin = try store.login(user: "administrator", org: "System", password: "vmware")
    }

    func running() throws -> CloudTask {
        try store.createTask(in: TestWorld.acmeID, TaskDraft(name: "task", status: "running", serviceNamespace: "org.example.vcd.backup"),
                             by: sysadmin)
    }

    /// The events recorded about `task`, oldest first.
    func events(_ task: CloudTask) -> [Event] {
        store.events(in: TestWorld.acmeID).events.filter { $0.entity == .task(id: task.id, name: task.name) }
    }

    @Test(arguments: [("success", EventType.taskComplete, true), ("error", EventType.taskFail, false),
                      ("aborted", EventType.taskAbort, false)])
    func aPutToATerminalStatusRecordsItsEvent(_ status: String, _ type: String, _ success: Bool) throws {
        let task = try running()
        var d = TaskDraft()
        d.status = status
        _ = try store.updateTask(task.id, d, by: sysadmin)
        let recorded = events(task)
        #expect(recorded.map(\.type) == [EventType.taskCreate, type])
        #expect(recorded.map(\.success) == [true, success], "operationSuccess of \(status)")
    }

    @Test func theCancelActionRecordsASuccessfulAbort() throws {
        let task = try running()
        _ = try store.cancelTask(task.id, by: sysadmin)
        #expect(events(task).map(\.type) == [EventType.taskCreate, EventType.taskAbort])
        #expect(events(task).last?.success == true, "the abort the caller asked for succeeded")
    }

    @Test(arguments: ["queued", "preRunning", "running"])
    func aNonTerminalStatusRecordsNothing(_ status: String) throws {
        let task = try running()
        var d = TaskDraft()
        d.status = status
        _ = try store.updateTask(task.id, d, by: sysadmin)
        #expect(events(task).map(\.type) == [EventType.taskCreate])
    }
}
