#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import VCDCore

/// Issue 11's memory budget at 10,000 orgs x 10 tasks (64 MiB after start, 96 MiB after 100,000 more
/// POSTed tasks): a task is one small heap block, and the event a POST records adds one more that shares
/// the task instead of copying its fields. Measured with glibc's `malloc_usable_size` on the real objects.
@Suite struct TaskFootprintTests {
    private typealias UsableSize = @convention(c) (UnsafeMutableRawPointer?) -> Int
    private static let usableSize: UsableSize? = {
        #if canImport(Glibc)
        dlsym(nil, "malloc_usable_size").map { unsafeBitCast($0, to: UsableSize.self) }
        #else
        nil
        #endif
    }()

    /// The heap block behind `object` (nil off glibc).
    static func heapBytes(_ object: AnyObject) -> Int? {
        usableSize?(Unmanaged.passUnretained(object).toOpaque())
    }

    static func task() -> CloudTask {
        var t = CloudTask(id: "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3", orgID: "26", name: "task", status: .running,
                          startTime: Timestamp(milliseconds: 1), expiryTime: Timestamp(milliseconds: 2))
        t.serviceNamespace = "org.example.vcd.backup.namespace"
        t.operation = "Backing up the whole org tonight"
        t.operationName = "backup"
        t.progress = 40
        t.user = .user(id: "u-1", name: "administrator")
        t.organization = .org(id: "26", name: "acme")
        return t
    }

    @Test func aTaskIsOneHeapBlockOfAtMost88Bytes() throws {
        let t = Self.task()
        let bytes = try #require(Self.heapBytes(t.s))
        #expect(bytes <= 88, "TaskStorage takes \(bytes) bytes (it was 200 before its texts and context moved into shared boxes)")
    }

    @Test func tasksOfOneKindShareOneTextsBox() {
        var interner = TaskInterner()
        var b = Self.task()
        b.id = "b"
        let x = interner.intern(Self.task()), y = interner.intern(b)
        #expect(x.s.texts === y.s.texts && x.s.context === y.s.context)
        #expect(x.progress == 40 && y.operation == "Backing up the whole org tonight" && y.name == "task")
        var renamed = y
        renamed.name = "other"
        #expect(renamed.s.texts !== x.s.texts && y.name == "task" && renamed.operationName == "backup")
    }

    @Test func progressKeepsEveryValueAPostCanSet() {
        var t = Self.task()
        for p in [0, 1, 99, 100] {
            t.progress = p
            #expect(t.progress == p)
        }
        t.progress = nil
        #expect(t.progress == nil)
    }

    @Test func aTaskEventSharesTheTaskAndTakesAtMost56Bytes() throws {
        let t = Self.task()
        var interner = TaskInterner()
        let e = Event(id: CompactID("1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e"), type: EventType.taskCreate,
                      user: interner.ref(.user(id: "u-1", name: "administrator")), about: t)
        guard case .task(let kept) = e.s.detail else {
            Issue.record("a task event copied the task's fields")
            return
        }
        #expect(kept.s === t.s)
        #expect(e.s.user === interner.ref(.user(id: "u-1", name: "administrator")), "one box per caller")
        let bytes = try #require(Self.heapBytes(e.s))
        #expect(bytes <= 56, "EventStorage takes \(bytes) bytes (a 64-byte block; Detail \(MemoryLayout<EventStorage.Detail>.size) bytes)")
        // It reads as the event recordTask used to build field by field.
        let expected = Event(id: "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", type: EventType.taskCreate,
                             typeFull: "Backing up the whole org tonight", serviceNamespace: "org.example.vcd.backup.namespace",
                             success: true, timestamp: Timestamp(milliseconds: 1), orgID: "26",
                             user: .user(id: "u-1", name: "administrator"), entity: .task(id: t.id, name: "task"),
                             operationName: "backup")
        #expect(e == expected)
        #expect(e.id == expected.id && e.typeFull == expected.typeFull && e.entity == expected.entity && e.timestamp == expected.timestamp)
    }

    @Test func aTaskEventKeepsTheTaskAsItWasWhenRecorded() {
        var t = Self.task()
        let e = Event(id: CompactID("e"), type: EventType.taskCreate, user: Shared(.user(id: "u-2", name: "someone")), about: t)
        t.status = .error
        t.name = "renamed"
        t.endTime = Timestamp(milliseconds: 5)
        #expect(e.success && e.entity == .task(id: t.id, name: "task") && e.timestamp == Timestamp(milliseconds: 1))
        #expect(e.user == .user(id: "u-2", name: "someone"))
        var edited = e
        edited.orgID = "27"
        #expect(edited.orgID == "27" && e.orgID == "26" && edited.typeFull == e.typeFull && edited.entity == e.entity)
    }

    /// A type no task event has (its index could not be stored) and a changed type keep the event whole.
    @Test func aTaskEventOfAnotherTypeKeepsItsType() {
        let t = Self.task()
        let user = Shared(EntityRef.user(id: "u-1", name: "administrator"))
        let odd = Event(id: CompactID("e"), type: "com/example/odd", user: user, about: t)
        let create = Event(id: CompactID("e"), type: EventType.taskCreate, user: user, about: t)
        #expect(odd.type == "com/example/odd" && create.type == EventType.taskCreate)
        #expect(odd.typeFull == create.typeFull && odd.entity == create.entity && odd.timestamp == create.timestamp && odd.orgID == "26")
        for type in EventStorage.taskTypes { #expect(Event(id: CompactID("e"), type: type, user: user, about: t).type == type) }
        var renamed = create
        renamed.type = "com/example/renamed"
        #expect(renamed.type == "com/example/renamed" && create.type == EventType.taskCreate && renamed.entity == create.entity)
        renamed.id = "f"
        renamed.user = .user(id: "u-2", name: "other")
        #expect(renamed.id == "f" && renamed.type == "com/example/renamed" && renamed.user == .user(id: "u-2", name: "other"))
    }
}
