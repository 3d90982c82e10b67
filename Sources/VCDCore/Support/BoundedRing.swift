/// The last `capacity` values, oldest first; once full, each append overwrites the oldest and counts it
/// as dropped. Not locked itself: its owners (the request and message journals) keep it in a `Locked`.
public struct BoundedRing<Element> {
    public let capacity: Int
    /// Storage order, not age order; `head` is the oldest slot once the ring is full.
    public private(set) var items: [Element] = []
    public private(set) var head = 0
    /// Values overwritten since the ring was made.
    public private(set) var dropped = 0

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        items.reserveCapacity(min(self.capacity, 4096))
    }

    public var count: Int { items.count }

    /// Appends one slot write; returns the slot used and the value it overwrote, so the caller can
    /// release that value after letting go of its lock.
    @discardableResult
    public mutating func append(_ value: Element) -> (slot: Int, evicted: Element?) {
        if items.count < capacity {
            items.append(value)
            return (items.count - 1, nil)
        }
        let slot = head
        let old = items[slot]
        items[slot] = value
        head = slot + 1 == capacity ? 0 : slot + 1
        dropped += 1
        return (slot, old)
    }

    /// The value in a slot (as `append` returned it), changed in place.
    public subscript(slot: Int) -> Element {
        get { items[slot] }
        set { items[slot] = newValue }
    }

    /// Values oldest first.
    public var inOrder: [Element] { Array(items[head...] + items[..<head]) }

    /// The newest value that matches, without copying the ring.
    public func last(where match: (Element) -> Bool) -> Element? {
        let n = items.count
        for k in 0..<n {
            let i = (head - 1 - k + 2 * n) % n
            if match(items[i]) { return items[i] }
        }
        return nil
    }
}

extension BoundedRing: Sendable where Element: Sendable {}
