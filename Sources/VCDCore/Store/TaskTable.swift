/// The store's tasks by id: the tasks in one array (8 bytes each: a task is one storage reference) and
/// an open-addressing index of 8-byte slots (position and a hash tag). A `[CompactID: CloudTask]` used
/// 32 bytes per bucket at a load of at most 3/4 (8 MiB for 100,000 tasks, 16 MiB for 200,000); this
/// uses about 1/3 of that. Callers still look tasks up by the id text they were given.
struct TaskTable: Sendable {
    private var items: [CloudTask?] = []
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
                if newValue == nil {
                    slots[slot] = 1
                    count -= 1
                    if items.count > 64 && count < items.count / 4 { rebuild(capacity: count) }
                }
            } else if let newValue {
                if (taken + 1) * 8 > slots.count * 7 { rebuild(capacity: count + 1) }
                items.append(newValue)
                place(hash: Self.hash(id), position: items.count - 1)
                count += 1
            }
        }
    }

    /// Stores `task` under its id; true when the id was new (one probe where get-then-set took two).
    mutating func upsert(_ task: CloudTask) -> Bool {
        let id = task.compactID
        if let (_, position) = find(id) {
            items[position] = task
            return false
        }
        if (taken + 1) * 8 > slots.count * 7 { rebuild(capacity: count + 1) }
        items.append(task)
        place(hash: Self.hash(id), position: items.count - 1)
        count += 1
        return true
    }

    var values: [CloudTask] { items.compactMap { $0 } }

    mutating func reserveCapacity(_ n: Int) {
        items.reserveCapacity(n)
        if n * 8 > slots.count * 7 { rebuild(capacity: n) }
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

    /// Drops removed tasks from the array and re-indexes at a load of at most 1/2 for `capacity` tasks.
    private mutating func rebuild(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        let live = items.compactMap { $0 }
        items = []
        items.reserveCapacity(max(capacity, live.count))
        slots = [UInt64](repeating: 0, count: size)
        taken = 0
        for task in live {
            items.append(task)
            place(hash: Self.hash(task.compactID), position: items.count - 1)
        }
        count = live.count
    }
}

extension Array where Element == CompactID {
    /// Org task orders hold compact ids; code that has the id text appends it as before.
    mutating func append(_ id: String) { append(CompactID(id)) }
}
