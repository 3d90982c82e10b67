/// The ids and names an `OrgList` shows, copied as UTF-8 into one buffer while the store holds its lock
/// (`Store.forEachVisibleOrg`): the renderer then reads them in order, without a retain or a cache miss per
/// org on each id's heap string.
public struct OrgNames {
    var bytes: [UInt8] = []
    /// Where each org's id ends and its name begins, then where the name ends.
    var ends: [(id: Int, name: Int)] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity * 48)
        ends.reserveCapacity(capacity)
    }

    public init(_ orgs: [(id: String, name: String)]) {
        self.init(capacity: orgs.count)
        for org in orgs { append(id: org.id, name: org.name) }
    }

    public var count: Int { ends.count }

    public mutating func append(id: String, name: String) {
        copy(id)
        let idEnd = bytes.count
        copy(name)
        ends.append((idEnd, bytes.count))
    }

    private mutating func copy(_ s: String) {
        if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: s.utf8)
        }
    }

    /// Calls `body` with each org's id and name bytes, in order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for end in ends {
                body(UnsafeBufferPointer(rebasing: all[start..<end.id]), UnsafeBufferPointer(rebasing: all[end.id..<end.name]))
                start = end.name
            }
        }
    }
}
