import Testing
@testable import VCDCore

/// The compact task model: ids as 16 bytes, shared strings and references, copy on write.
@Suite struct CompactTaskTests {
    @Test func uuidsAreKeptAsBitsAndPrintBackExactly() {
        let text = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"
        let id = CompactID(text)
        guard case .uuid(let hi, let lo) = id else {
            Issue.record("a lowercase UUID was kept as text")
            return
        }
        #expect(hi == 0x0a1b_2c3d_4e5f_4a6b && lo == 0x8c7d_8e9f_a0b1_c2d3)
        #expect(String(id) == text)
        #expect(MemoryLayout<CompactID>.size <= 17)
    }

    @Test(arguments: ["26", "", "0A1B2C3D-4E5F-4A6B-8C7D-8E9FA0B1C2D3", "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d", "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3x",
                     "0a1b2c3d_4e5f-4a6b-8c7d-8e9fa0b1c2d3", "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2dg", "urn:vcloud:task:1",
                     "x0a1b2c3-4e5f-4a6b-8c7d-8e9fa0b1c2d3", "0a1b2c3d-4e5f-4a6b-8c7/-8e9fa0b1c2d3", "0a1b2c3d-4e5f-4a6b-8c7d8-e9fa0b1c2d3",
                     "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d\u{e9}", "0a1b2c3d-4e5f-4:6b-8c7d-8e9fa0b1c2d3"])
    func otherIdsStayTextAndPrintBackExactly(_ text: String) {
        let id = CompactID(text)
        #expect(id == .text(text))
        #expect(String(id) == text)
    }

    /// The word-at-a-time parser and printer against a digit-at-a-time reference: random UUIDs printed, read
    /// back, and read again with one byte changed.
    @Test func parserAgreesWithAReferenceOnRandomTexts() {
        func reference(_ t: [UInt8]) -> (UInt64, UInt64)? {
            guard t.count == 36 else { return nil }
            var words: [UInt64] = [0, 0], digits = 0
            for (i, b) in t.enumerated() {
                if [8, 13, 18, 23].contains(i) { if b != UInt8(ascii: "-") { return nil }; continue }
                guard let v = "0123456789abcdef".utf8.firstIndex(of: b).map({ "0123456789abcdef".utf8.distance(from: "0123456789abcdef".utf8.startIndex, to: $0) }) else { return nil }
                words[digits / 16] = words[digits / 16] << 4 | UInt64(v)
                digits += 1
            }
            return (words[0], words[1])
        }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let (hi, lo): (UInt64, UInt64) = (rng.next(), rng.next())
            var text = Array(uuidText(hi, lo).utf8)
            #expect(reference(text)?.0 == hi && reference(text)?.1 == lo, "uuidText printed \(String(decoding: text, as: UTF8.self))")
            if Bool.random(using: &rng) { text[Int.random(in: 0..<36, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            let got = text.withUnsafeBufferPointer { CompactID.parseUUID($0) }
            let want = reference(text)
            #expect(got?.0 == want?.0 && got?.1 == want?.1 && (got == nil) == (want == nil), "\(String(decoding: text, as: UTF8.self))")
        }
    }

    @Test func equalTextsGiveEqualKeys() {
        let a = CompactID("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"), b = CompactID(String("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"))
        #expect(a == b && a.hashValue == b.hashValue)
        #expect(CompactID("26") != CompactID("27"))
    }

    @Test func internerSharesLongStringsAndIsBounded() {
        var interner = StringInterner(capacity: 2)
        let long = "org.example.vcd.backup.namespace"
        let a = interner.intern(String(long.utf8.map { Character(Unicode.Scalar($0)) }))
        let b = interner.intern(String(long.utf8.map { Character(Unicode.Scalar($0)) }))
        #expect(a == long && b == long)
        #expect(Self.sameStorage(a, b))
        #expect(interner.intern("short") == "short")
        #expect(interner.count == 1)  // short strings live inline: nothing to share
        _ = interner.intern("another long string of text")
        _ = interner.intern("a third long string of text")  // over capacity: kept as given, not added
        #expect(interner.count == 2)
        #expect(interner.intern("a third long string of text") == "a third long string of text")
    }

    static func sameStorage(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in x.baseAddress == y.baseAddress } }
    }

    static func task(_ id: String = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3") -> CloudTask {
        var t = CloudTask(id: id, orgID: "26", name: "task", status: .running, startTime: Timestamp(milliseconds: 1),
                          expiryTime: Timestamp(milliseconds: 2))
        t.serviceNamespace = "org.example.vcd.backup.namespace"
        t.operation = "Backing up the whole org tonight"
        t.user = .user(id: "u-1", name: "administrator")
        t.organization = .org(id: "26", name: "acme")
        return t
    }

    @Test func taskInternerSharesStringsAndReferencesAcrossTasks() {
        var interner = TaskInterner()
        let a = interner.intern(Self.task()), b = interner.intern(Self.task("b"))
        #expect(Self.sameStorage(a.serviceNamespace ?? "", b.serviceNamespace ?? ""))
        #expect(Self.sameStorage(a.operation ?? "", b.operation ?? ""))
        #expect(a.s.context === b.s.context, "one box for the org, user and organization of both")
        #expect(a.user == .user(id: "u-1", name: "administrator"))
    }

    @Test func copiesAreIndependent() {
        let original = Self.task()
        var copy = original
        #expect(copy.s === original.s)  // a copy costs a retain
        copy.name = "renamed"
        copy.description = "now with a description"
        copy.endTime = Timestamp(milliseconds: 9)
        #expect(original.name == "task" && original.description == nil && original.endTime == nil)
        #expect(copy.name == "renamed" && copy.description == "now with a description" && copy.endTime?.milliseconds == 9)
        #expect(copy != original)
        copy.name = "task"
        copy.description = nil
        copy.endTime = nil
        #expect(copy == original)  // equal fields, different storage
        #expect(copy.s.extras == nil)  // an emptied box is dropped
    }

    @Test func idTextRoundTripsThroughTheTask() {
        var t = Self.task("26")
        #expect(t.id == "26" && t.compactID == .text("26"))
        t.id = "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"
        #expect(t.id == "0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3")
        #expect(t.compactID == CompactID("0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3"))
    }
}

/// The store's task index: lookups by text or compact id, removal, order, growth.
@Suite struct TaskTableTests {
    static func task(_ n: Int) -> CloudTask {
        CloudTask(id: n % 3 == 0 ? "text-\(n)" : uuidText(UInt64(n), UInt64(n) &* 31), orgID: "o", name: "t\(n)",
                  status: .running, startTime: Timestamp(milliseconds: 0), expiryTime: Timestamp(milliseconds: 0))
    }

    @Test func findsEveryTaskAfterGrowthAndRemoval() {
        var table = TaskTable()
        let tasks = (0 ..< 5000).map(Self.task)
        for t in tasks { table[t.id] = t }
        #expect(table.count == 5000)
        for t in tasks { #expect(table[t.id]?.name == t.name) }
        #expect(table["missing"] == nil && table[CompactID(uuidText(1, 2))] == nil)
        // Remove every other task; the rest stay findable and in insertion order.
        for t in tasks where Int(t.name.dropFirst())! % 2 == 0 { table[t.compactID] = nil }
        #expect(table.count == 2500)
        for t in tasks {
            let kept = Int(t.name.dropFirst())! % 2 == 1
            #expect((table[t.id] != nil) == kept)
        }
        #expect(table.values.map(\.name) == tasks.filter { Int($0.name.dropFirst())! % 2 == 1 }.map(\.name))
        // Replacing keeps the place; re-adding a removed id takes a freed place.
        var renamed = tasks[1]
        renamed.name = "renamed"
        table[renamed.id] = renamed
        table[tasks[0].id] = tasks[0]
        #expect(table.count == 2501)
        #expect(table.values.first?.name == "renamed" && table.values.count == 2501)
        for t in tasks.dropFirst(2) { table[t.id] = nil }
        #expect(table.count == 2)
        #expect(table[tasks[0].id]?.name == "t0" && table[tasks[1].id]?.name == "renamed")
    }

    /// Org task orders keep positions: a task's position stays while others come and go and the index grows.
    @Test func positionsStayWhileOthersComeAndGo() {
        var table = TaskTable()
        let tasks = (0 ..< 3000).map(Self.task)
        var positions: [TaskTable.Position] = []
        for t in tasks.prefix(1000) { positions.append(table.upsert(t)!) }
        #expect(table.upsert(tasks[5]) == nil)  // a replacement is not new
        for p in positions.prefix(500) { table.remove(at: p) }
        #expect(table.count == 500 && table[position: positions[0]] == nil)
        var added: [TaskTable.Position] = []
        for t in tasks.dropFirst(1000) { added.append(table.upsert(t)!) }
        // Freed places were taken first, so the array grew by 1,500 only.
        #expect(Set(positions.prefix(500)).isSubset(of: Set(added)) && added.allSatisfy { $0 < 2500 })
        for (p, t) in zip(positions, tasks).dropFirst(500) { #expect(table[position: p]?.name == t.name) }
        for (p, t) in zip(added, tasks.dropFirst(1000)) { #expect(table[position: p]?.name == t.name && table[t.id]?.name == t.name) }
        for (p, t) in zip(positions, tasks).dropFirst(500) { table.remove(at: p); #expect(table[t.id] == nil) }
        #expect(table.count == 2000)
    }
}
