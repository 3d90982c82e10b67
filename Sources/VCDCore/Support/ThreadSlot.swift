#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Synchronization

/// A small number for the calling thread, handed out in turn at its first call. State that every request
/// thread writes (the log's buffers) is split by it, so two request threads do not take one lock and pass
/// its cache line back and forth on every request.
public enum ThreadSlot {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, nil) == 0 ? key : nil
    }()
    private static let next = Atomic<Int>(0)

    /// The calling thread's number: 0, 1, 2, ... in the order threads first asked.
    public static var current: Int {
        guard let key else { return 0 }
        if let stored = pthread_getspecific(key) { return Int(bitPattern: stored) - 1 }
        let slot = next.add(1, ordering: .relaxed).oldValue
        _ = pthread_setspecific(key, UnsafeRawPointer(bitPattern: slot + 1))
        return slot
    }
}
