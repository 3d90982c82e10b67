import Synchronization
import VCDCore

/// UUID-shaped request ids: a random prefix per process and a counter, so no syscall per request
/// (Foundation's UUID() reads the kernel's random source every time).
final class RequestIDs: Sendable {
    /// The first 80 bits of one id from `ids`; the counter fills the last 48.
    private let hi: UInt64
    private let loTop: UInt64
    private let counter = Atomic<UInt64>(0)

    init(ids: any IDGenerator = RandomIDs()) {
        let hex = ids.uuid().filter { $0 != "-" }
        hi = UInt64(hex.prefix(16), radix: 16) ?? 0
        loTop = (UInt64(hex.dropFirst(16).prefix(4), radix: 16) ?? 0) << 48
    }

    /// The id as text, and as the UUID's two words (the request journal keeps those).
    func next() -> (text: String, words: (UInt64, UInt64)) {
        let n = counter.add(1, ordering: .relaxed).newValue
        let lo = loTop | (n & 0xffff_ffff_ffff)
        return (uuidText(hi, lo), (hi, lo))
    }
}
