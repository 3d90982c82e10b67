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
        let n = counter.add(1, ordering: .relaxed).newValue
        var prefix = prefix
        return prefix.withUTF8 { head in
            String(unsafeUninitializedCapacity: head.count + 12) { out in
                _ = out.initialize(fromContentsOf: head)
                let digits: StaticString = "0123456789abcdef"
                for i in 0..<12 {
                    out[head.count + i] = digits.utf8Start[Int((n >> (4 * UInt64(11 - i))) & 0xf)]
                }
                return head.count + 12
            }
        }
    }
}
