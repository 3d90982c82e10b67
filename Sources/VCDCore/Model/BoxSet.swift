/// Boxes found by their value: an open-addressing hash set of 8-byte slots, each slot the box itself.
/// The interners used `[Value: Shared<Value>]`, which kept every value twice, once inline in a bucket: a
/// task context is about 90 bytes, so 10,000 orgs took 2 MiB of buckets for 128 KiB of slots here.
/// No removal: an interner is rebuilt (`TaskInterner.keeping`), never pruned.
struct BoxSet<Value: Sendable & Hashable>: Sendable {
    private var slots: [Shared<Value>?] = []
    private(set) var count = 0

    /// The box holding a value equal to `value`, if any.
    subscript(value: Value) -> Shared<Value>? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var i = value.hashValue & mask
        while let box = slots[i] {
            if box.value == value { return box }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `box` unless a box of an equal value is here already.
    mutating func insert(_ box: Shared<Value>) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let mask = slots.count - 1
        var i = box.value.hashValue & mask
        while let other = slots[i] {
            if other === box || other.value == box.value { return }
            i = (i + 1) & mask
        }
        slots[i] = box
        count += 1
    }

    /// Every box, in no particular order.
    var boxes: [Shared<Value>] { slots.compactMap { $0 } }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: max(16, old.count * 2))
        count = 0
        for case let box? in old { insert(box) }
    }
}
