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
}
