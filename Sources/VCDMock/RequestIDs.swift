import Synchronization
import VCDCore

/// UUID-shaped request ids: a random prefix per process and a counter, so no syscall per request
/// (Foundation's UUID() reads the kernel's random source every time).
final class RequestIDs: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init(ids: any IDGenerator = RandomIDs()) {
        prefix = String(ids.uuid().dropLast(12))
    }

    func next() -> String {
        var n = counter.add(1, ordering: .relaxed).newValue
        let digits: StaticString = "0123456789abcdef"
        var tail = [UInt8](repeating: UInt8(ascii: "0"), count: 12)
        var i = 11
        while n > 0, i >= 0 {
            tail[i] = digits.utf8Start[Int(n & 0xf)]
            n >>= 4
            i -= 1
        }
        return prefix + String(decoding: tail, as: UTF8.self)
    }
}
