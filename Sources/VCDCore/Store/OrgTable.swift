/// The orgs in fixture order, with an index by id. Lists walk the array and hash nothing (an `OrgList` of
/// 10,000 orgs spent 62% of its time hashing 36-character ids into a `[String: Org]`); a lookup by id is
/// one hash, as before. A bulk load adopts the loader's array, so the live table and the reset baseline
/// share one buffer until an org changes. The index is keyed by `CompactID`: a UUID is hashed and compared
/// as 16 bytes in the bucket, where a `String` key made every lookup read the key's heap copy (a cache miss
/// per GET of a random org at 10,000 orgs, 2% of its time in `memcmp`).
struct OrgTable: Sendable {
    private(set) var ordered: [Org] = []
    private var position: [CompactID: Int] = [:]

    init() {}

    /// `orgs` in their order; a repeated id keeps its first place and the last value, as inserting them
    /// one by one does.
    init(_ orgs: [Org]) {
        position.reserveCapacity(orgs.count)
        for (i, org) in orgs.enumerated() where position.updateValue(i, forKey: CompactID(org.id)) != nil {
            self = OrgTable()
            for org in orgs { self[org.id] = org }
            return
        }
        ordered = orgs
    }

    var count: Int { ordered.count }
    var isEmpty: Bool { ordered.isEmpty }
    /// Ids in order.
    var ids: [String] { ordered.map(\.id) }

    func index(of id: String) -> Int? { position[CompactID(id)] }

    mutating func reserveCapacity(_ n: Int) {
        ordered.reserveCapacity(n)
        position.reserveCapacity(n)
    }

    /// Setting an org that is not there appends it; setting nil removes it (the orgs after it move up).
    subscript(id: String) -> Org? {
        get { position[CompactID(id)].map { ordered[$0] } }
        set {
            if let i = position[CompactID(id)] {
                if let org = newValue { ordered[i] = org } else { remove(at: i) }
            } else if let org = newValue {
                insert(org, at: nil)
            }
        }
        _modify {
            guard let i = position[CompactID(id)] else {
                var org: Org? = nil
                yield &org
                if let org { insert(org, at: nil) }
                return
            }
            // Moved out, so that a change in place does not copy the org's arrays.
            var taken = Org(id: "", name: "")
            swap(&taken, &ordered[i])
            var org: Org? = consume taken
            defer {
                assert(org.map { $0.id == id } ?? true, "an org's id changed in place")
                if let org { ordered[i] = org } else { remove(at: i) }
            }
            yield &org
        }
    }

    /// Adds an org at `place` (its old place after a removal), or at the end; an org already in the table
    /// is replaced where it is (as `[String: Org]` did).
    mutating func insert(_ org: Org, at place: Int?) {
        if let i = position[CompactID(org.id)] {
            ordered[i] = org
            return
        }
        let i = min(place ?? ordered.count, ordered.count)
        ordered.insert(org, at: i)
        if i == ordered.count - 1 { position[CompactID(org.id)] = i } else { reindex(from: i) }
    }

    private mutating func remove(at i: Int) {
        position[CompactID(ordered[i].id)] = nil
        ordered.remove(at: i)
        reindex(from: i)
    }

    private mutating func reindex(from start: Int) {
        for i in start..<ordered.count { position[CompactID(ordered[i].id)] = i }
    }
}
