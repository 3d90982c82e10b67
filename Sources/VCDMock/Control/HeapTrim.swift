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

    /// Every arena's free pages go back (glibc's `malloc_trim` walks them all). The process keeps glibc's
    /// default of several arenas: with one (`M_ARENA_MAX` 1, stop 20) the request threads met on its lock
    /// for every block too large for the per-thread cache, above all the unpacked org document of each
    /// render cache hit at 10,000 orgs: GET of a random org there ran at 0.82-0.88x of the default fixtures',
    /// and at 1.05x with the default arenas, with RSS after a reset still within 1.06x of the start
    /// (scripts/bench-scale, docs/BENCHMARKS.md, stop 23).
    public static func now() {
        _ = trim?(0)
    }
}
