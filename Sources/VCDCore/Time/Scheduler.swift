import Foundation
import Synchronization

/// Work that takes time (vApp tasks), driven by the injected clock: one min-heap of due times and ONE driver
/// thread for everything due, never a thread or timer per task. With a fixed clock nothing is due until
/// the clock is advanced; whoever advances it calls `Store.runDueWork()` so tests see the result at once.
public final class TaskScheduler: Sendable {
    struct Entry { var due: Int64; var seq: UInt64; var key: String }
    struct Heap {
        var items: [Entry] = []
        var seq: UInt64 = 0
        var started = false

        mutating func push(_ due: Int64, _ key: String) {
            seq &+= 1
            items.append(Entry(due: due, seq: seq, key: key))
            var i = items.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard less(items[i], items[parent]) else { break }
                items.swapAt(i, parent)
                i = parent
            }
        }

        mutating func pop() -> Entry? {
            guard !items.isEmpty else { return nil }
            items.swapAt(0, items.count - 1)
            let top = items.removeLast()
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && less(items[l], items[m]) { m = l }
                if r < items.count && less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
            return top
        }

        func less(_ a: Entry, _ b: Entry) -> Bool { a.due < b.due || (a.due == b.due && a.seq < b.seq) }
    }

    private let heap = Locked(Heap())
    private let wake = DispatchSemaphore(value: 0)

    public init() {}

    /// Due work keyed by `key` (a task id); a key may be scheduled again for its next step.
    public func schedule(_ key: String, at due: Timestamp) {
        heap.withLock { $0.push(due.milliseconds, key) }
        wake.signal()
    }

    /// Keys due at `now`, earliest first, removed from the heap.
    public func popDue(now: Timestamp) -> [String] {
        heap.withLock { h in
            var out: [String] = []
            while let first = h.items.first, first.due <= now.milliseconds, let e = h.pop() { out.append(e.key) }
            return out
        }
    }

    public var nextDue: Int64? { heap.withLock { $0.items.first?.due } }
    public var count: Int { heap.withLock { $0.items.count } }

    /// Forgets everything (reset); the driver keeps running and finds nothing due.
    public func clear() { heap.withLock { $0.items.removeAll() } }

    /// Starts the one driver thread (once). It sleeps until the next due time by `clock` (at most 200 ms, so a
    /// moved clock is noticed) and calls `run`; it ends when `run` answers false (its owner is gone).
    public func startDriver(clock: any TimeSource, run: @escaping @Sendable () -> Bool) {
        let first = heap.withLock { h -> Bool in
            defer { h.started = true }
            return !h.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            while true {
                let wait: Int64 = nextDue.map { max(0, min(200, $0 - clock.now().milliseconds)) } ?? 200
                if wait > 0 { _ = wake.wait(timeout: .now() + .milliseconds(Int(wait))) }
                if !run() { return }
            }
        }
        thread.name = "vcd-mock scheduler"
        thread.start()
    }
}
