import Synchronization

/// Arrays for response bodies made on every request at a size malloc serves slowly: the render cache's
/// unpacked org documents (~1.1 KB, past glibc's per-thread cache of 1,032 bytes, so each one was a locked
/// allocation that first merged the fast bins, then a free and the array's metadata lookup: ~1.4k
/// instructions a GET of a random org at 10,000 orgs). A response whose `pooledBody` is set gives its
/// array back here once MHD has sent it; the next body is written into it.
/// Bounded: at most `limit` arrays of up to `largest` bytes are kept (256 KiB); others go back to malloc.
public final class BodyPool: Sendable {
    public static let shared = BodyPool()

    let limit: Int
    let largest: Int
    private let kept = Mutex<[[UInt8]]>([])

    public init(limit: Int = 64, largest: Int = 4096) {
        (self.limit, self.largest) = (limit, largest)
    }

    /// An array of `count` bytes written by `fill`, which gets room for `count + spare` and returns how many
    /// it wrote (at most `count + spare`; the array keeps that many). The bytes are not zeroed: `fill` must
    /// write every byte it reports.
    public func make(count: Int, spare: Int = 0, _ fill: (UnsafeMutableBufferPointer<UInt8>) -> Int) -> [UInt8] {
        let room = count + spare
        guard room <= largest else {
            return [UInt8](unsafeUninitializedCapacity: room) { out, written in written = min(fill(out), room) }
        }
        // A new array has room for half the largest body, so that the next, slightly longer, fits as well.
        guard var array = kept.withLock({ $0.popLast() }) else {
            return [UInt8](unsafeUninitializedCapacity: max(room, largest / 2)) { out, written in
                written = min(fill(UnsafeMutableBufferPointer(rebasing: out[..<room])), room)
            }
        }
        // A kept array holds its last body: its count is grown to the room needed (only the new tail is
        // zeroed, a few bytes from one org document to the next) and cut back to what `fill` wrote.
        if array.count < room { array.append(contentsOf: repeatElement(0, count: room - array.count)) }
        let written = array.withUnsafeMutableBufferPointer { min(fill(UnsafeMutableBufferPointer(rebasing: $0[..<room])), room) }
        if written < array.count { array.removeLast(array.count - written) }
        return array
    }

    /// Takes a sent body back (a later `make` writes into it), if there is room and it is small enough.
    /// Moved into the pool under the lock, so that no reference is left here when another thread takes it
    /// (a second reference would make its writer copy the array).
    func recycle(_ body: consuming [UInt8]) {
        guard body.capacity <= largest else { return }
        var moving: [UInt8]? = consume body
        kept.withLock { arrays in
            if arrays.count < limit, let array = moving.take() { arrays.append(array) }
        }
    }

    /// Arrays kept now (for tests).
    public var count: Int { kept.withLock { $0.count } }
}
