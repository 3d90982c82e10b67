#if canImport(Glibc)
import Glibc
#endif

/// Gives freed heap back to the system. glibc keeps freed memory for reuse, so after a reset (or after
/// loading fixtures, whose parse trees are garbage once the store holds the data) the process would stay
/// at its peak RSS; issue 11 goal 5 wants RSS back near the start.
public enum HeapTrim {
    /// glibc's `malloc_trim` (malloc.h is not part of Swift's Glibc module, so it is looked up by name;
    /// on a C library without it this does nothing).
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    public static func now() {
        _ = trim?(0)
    }

    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    /// glibc's `M_ARENA_MAX` (malloc.h).
    private static let arenaMax: Int32 = -8

    /// One malloc arena for the whole process, set before any thread starts. glibc gives threads their own
    /// arenas, and `malloc_trim` cannot return the free top of those: measured at 10,000 orgs, memory freed
    /// by a reset (the render cache, runtime tasks) stayed resident, 40 MiB of it, and the fixture parse's
    /// arena kept 6.8 MiB after the load. In the main arena all of that goes back; small allocations are
    /// served from glibc's per-thread caches first, so request threads rarely meet on the arena lock.
    public static func oneArena() {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Option.self)(arenaMax, 1)
        #endif
    }
}
