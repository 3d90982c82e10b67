import Glibc

/// SIGINT and SIGTERM are blocked in every thread from the start and taken with sigwait, so a signal sent
/// at any moment after the "listening" line (even right after it) stops the server cleanly.
enum Shutdown {
    static var signals: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    /// Call before any thread starts: threads inherit the mask. SIGPIPE is ignored process-wide, as a
    /// server must: a peer or a reader that went away is an error value, not a crash.
    static func block() {
        signal(SIGPIPE, SIG_IGN)
        var set = signals
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func wait() {
        var set = signals
        var received: Int32 = 0
        sigwait(&set, &received)
    }
}
