/// Makes equal strings share one storage: 100,000 tasks named by a handful of namespaces, operations
/// and users then hold 16-byte references instead of 100,000 heap copies. Short strings (up to 15 UTF-8
/// bytes) live inside the String value already and pass through. The table is bounded so that a client
/// sending a fresh value on every request cannot grow it without end: once full, new values are kept as
/// given and only values already in the table are shared.
public struct StringInterner: Sendable {
    private var table: Set<String> = []
    public let capacity: Int
    public let maxLength: Int

    public init(capacity: Int = 4096, maxLength: Int = 256) {
        self.capacity = capacity
        self.maxLength = maxLength
    }

    public var count: Int { table.count }

    public mutating func intern(_ value: String) -> String {
        let length = value.utf8.count
        guard length > 15, length <= maxLength else { return value }
        if let i = table.firstIndex(of: value) { return table[i] }
        if table.count < capacity { table.insert(value) }
        return value
    }

    /// Adds `other`'s values (up to the capacity); values already here keep their storage.
    public mutating func merge(_ other: StringInterner) {
        for value in other.table where table.count < capacity { table.insert(value) }
    }

    public mutating func intern(_ value: String?) -> String? {
        guard let value else { return nil }
        return intern(value) as String
    }
}
