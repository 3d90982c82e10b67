import Synchronization

extension HTTPServer {
    /// Answers every request still suspended (`.later`) with the handler's 503 for it and resumes its
    /// connection: libmicrohttpd 0.9.75 aborts the process ("MHD_stop_daemon() called while we have
    /// suspended connections") when it is stopped with one left, so a SIGTERM during a fault delay or a
    /// backpressure wait would not exit 0.
    func answerSuspended() {
        let waiting = context.suspended.withLock { s in
            defer { s.byID.removeAll() }
            return Array(s.byID.values)
        }
        for (respond, path) in waiting {
            let request = HTTPRequest(method: "-", path: path, headers: [],
                                      violation: .unreadable(status: 503, message: "vcd-mock is shutting down; the request was not completed."))
            if case .now(let response) = context.handler(request) {
                respond(response)
            } else {
                respond(HTTPResponse(status: 503, headers: [], body: Array("vcd-mock is shutting down\n".utf8)))
            }
        }
    }
}

/// True for the first `claim` only, from any thread.
final class Once: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
