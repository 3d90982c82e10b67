/// The store's tasks by id. Keys are `CompactID`s (16 bytes, no heap text); callers still look tasks up
/// by the id text they were given.
struct TaskTable: Sendable {
    private(set) var byID: [CompactID: CloudTask] = [:]

    init() {}

    subscript(id: String) -> CloudTask? {
        get { byID[CompactID(id)] }
        set { byID[CompactID(id)] = newValue }
    }

    subscript(id: CompactID) -> CloudTask? {
        get { byID[id] }
        set { byID[id] = newValue }
    }

    var count: Int { byID.count }
    var values: Dictionary<CompactID, CloudTask>.Values { byID.values }

    mutating func reserveCapacity(_ n: Int) { byID.reserveCapacity(n) }
}

extension Array where Element == CompactID {
    /// Org task orders hold compact ids; code that has the id text appends it as before.
    mutating func append(_ id: String) { append(CompactID(id)) }
}
