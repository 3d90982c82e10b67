import Testing
@testable import VCDCore

/// The interners' box tables (BoxSet.swift): a value finds the box of an equal value, through growth,
/// and a box of an equal value is never added twice.
@Suite struct BoxSetTests {
    @Test func findsEveryValueAfterGrowth() {
        var set = BoxSet<TaskContext>()
        let boxes = (0..<10_000).map { Shared(TaskContext(orgID: "org-\($0)", user: .user(id: "u-\($0)", name: "admin"), organization: nil)) }
        for box in boxes { set.insert(box) }
        #expect(set.count == 10_000)
        for (i, box) in boxes.enumerated() {
            let found = set[TaskContext(orgID: "org-\(i)", user: .user(id: "u-\(i)", name: "admin"), organization: nil)]
            #expect(found === box)
        }
        #expect(set[TaskContext(orgID: "org-10000", user: nil, organization: nil)] == nil)
        #expect(Set(set.boxes.map(\.value.orgID)).count == 10_000)
    }

    @Test func anEqualValueKeepsTheFirstBox() {
        var set = BoxSet<EntityRef>()
        let first = Shared(EntityRef.user(id: "u-1", name: "alice"))
        set.insert(first)
        set.insert(Shared(EntityRef.user(id: "u-1", name: "alice")))
        set.insert(first)
        #expect(set.count == 1)
        #expect(set[.user(id: "u-1", name: "alice")] === first)
        #expect(set[.user(id: "u-1", name: "bob")] == nil)
        #expect(BoxSet<EntityRef>()[.user(id: "u-1", name: "alice")] == nil, "an empty set finds nothing")
    }

    @Test func mergedInternersShareTheFirstBoxOfEachContext() {
        var a = TaskInterner(), b = TaskInterner()
        let fromA = a.intern(CompactTaskTests.task())
        let fromB = b.intern(CompactTaskTests.task("b"))
        #expect(fromA.s.context !== fromB.s.context)
        a.merge(b)
        let later = a.intern(CompactTaskTests.task("c"))
        #expect(later.s.context === fromA.s.context)
        #expect(a.contexts.count == 1 && a.texts.count == 1)
    }
}
