import Synchronization

/// Reproducible ids for golden files (`--seed N`): the same seed gives the same sequence of UUIDs and
/// tokens on every run. UUIDs are v4-shaped, built like `RandomIDs` (a counter through splitmix64, so no
/// two ids of one generator collide); tokens come from a second counter stream. Thread-safe: concurrent
/// callers each get a distinct id, though which one depends on their order.
public final class SeededIDs: IDGenerator {
    public let seed: UInt64
    private let seeds: (UInt64, UInt64, UInt64)
    private let uuidCounter = Atomic<UInt64>(0)
    private let tokenCounter = Atomic<UInt64>(0)

    public init(seed: UInt64) {
        self.seed = seed
        seeds = (splitmix(seed), splitmix(seed ^ 0x5eed_5eed_5eed_5eed), splitmix(seed &+ 0x7041_3e4d_0c3a_11d5))
    }

    public func uuid() -> String {
        compactUUID().description
    }

    public func compactUUID() -> CompactID {
        counterUUID(uuidCounter.add(1, ordering: .relaxed).newValue, seeds.0, seeds.1)
    }

    /// 64 hex digits (256 bits), like a session token from `RandomIDs` but fixed width.
    public func token() -> String {
        let n = tokenCounter.add(1, ordering: .relaxed).newValue
        let base = splitmix(n &+ seeds.2)
        return (0..<4).map { i -> String in
            let word = String(splitmix(base &+ UInt64(i) &* 0x9e37_79b9_7f4a_7c15), radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
    }
}
