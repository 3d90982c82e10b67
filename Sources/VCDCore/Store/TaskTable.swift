/// The store's tasks by id: the tasks in one array (8 bytes each: a task is one storage reference) and
/// an open-addressing index of 8-byte slots (position and a hash tag). A `[CompactID: CloudTask]` used
/// 32 bytes per bucket at a load of at most 3/4 (8 MiB for 100,000 tasks, 16 MiB for 200,000); this
/// uses about 1/3 of that. Callers still look tasks up by the id text they were given.
///
/// A task keeps its position for as long as it is in the table (a removed task's place is reused by the
/// next new one), so org task orders hold 4-byte positions instead of 24-byte ids.
struct TaskTable: Sendable {
    /// Where a task sits in the table.
    typealias Position = UInt32

    private var items: [CloudTask?] = []
    /// Places of removed tasks, reused before the array grows.
    private var free: [Position] = []
    /// 0 = empty, 1 = removed, else `position + 2` in the low 32 bits and the hash's high 32 bits above.
    private var slots: [UInt64] = []
    private(set) var count = 0
    /// Slots not empty (live and removed): what decides when to grow.
    private var taken = 0

    init() {}

    subscript(id: String) -> CloudTask? {
        get { self[CompactID(id)] }
        set { self[CompactID(id)] = newValue }
    }

    subscript(id: CompactID) -> CloudTask? {
        get { find(id).map { items[$0.position] } ?? nil }
        set {
            if let (slot, position) = find(id) {
                items[position] = newValue
                if newValue == nil { remove(slot: slot, position: position) }
            } else if let newValue {
                _ = add(newValue, hash: Self.hash(id))
            }
        }
    }

    /// The task at `position` (from `upsert`), nil once it was removed.
    subscript(position position: Position) -> CloudTask? {
        let i = Int(position)
        return i < items.count ? items[i] : nil
    }

    /// Stores `task` under its id; its position when the id was new, nil when it replaced a task (one
    /// probe where get-then-set took two).
    mutating func upsert(_ task: CloudTask) -> Position? {
        let id = task.compactID
        if let (_, position) = find(id) {
            items[position] = task
            return nil
        }
        return add(task, hash: Self.hash(id))
    }

    /// Removes the task at `position` (an org's task order names its tasks by position).
    mutating func remove(at position: Position) {
        guard let task = self[position: position], let (slot, at) = find(task.compactID) else { return }
        items[at] = nil
        remove(slot: slot, position: at)
    }

    /// The tasks in position order.
    var values: [CloudTask] { items.compactMap { $0 } }

    mutating func reserveCapacity(_ n: Int) {
        items.reserveCapacity(n)
        if n * 8 > slots.count * 7 { rebuild(capacity: n) }
    }

    private mutating func add(_ task: CloudTask, hash: UInt64) -> Position {
        if (taken + 1) * 8 > slots.count * 7 { rebuild(capacity: count + 1) }
        let position: Int
        if let reused = free.popLast() {
            position = Int(reused)
            items[position] = task
        } else {
            position = items.count
            items.append(task)
        }
        place(hash: hash, position: position)
        count += 1
        return Position(position)
    }

    private mutating func remove(slot: Int, position: Int) {
        slots[slot] = 1
        count -= 1
        free.append(Position(position))
        if count == 0 {
            items = []
            free = []
        }
    }

    private static func hash(_ id: CompactID) -> UInt64 {
        switch id {
        case .uuid(let hi, let lo): mix(hi ^ (lo &* 0x9e37_79b9_7f4a_7c15))
        case .text(let text): mix(UInt64(bitPattern: Int64(text.hashValue)))
        }
    }

    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private func find(_ id: CompactID) -> (slot: Int, position: Int)? {
        guard !slots.isEmpty else { return nil }
        let h = Self.hash(id), tag = h >> 32, mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { return nil }
            if s != 1 && s >> 32 == tag {
                let position = Int(s & 0xffff_ffff) - 2
                if let task = items[position], task.compactID == id { return (i, position) }
            }
            i = (i + 1) & mask
        }
    }

    private mutating func place(hash h: UInt64, position: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] > 1 { i = (i + 1) & mask }
        if slots[i] == 0 { taken += 1 }
        slots[i] = (h >> 32) << 32 | UInt64(position + 2)
    }

    /// Re-indexes at a load of at most 1/2 for `capacity` tasks (removed slots go); positions stay.
    private mutating func rebuild(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        taken = 0
        for (position, task) in items.enumerated() {
            if let task { place(hash: Self.hash(task.compactID), position: position) }
        }
    }
}
