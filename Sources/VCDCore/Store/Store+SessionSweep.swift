import Dispatch

extension Store {
    /// Ends every session idle longer than the timeout (by the store's clock, so `POST /mock/clock`
    /// counts), and drops access tokens whose session is gone. Returns how many sessions ended.
    @discardableResult
    public func sweepExpiredSessions() -> Int {
        let now = clock.now().milliseconds
        let timeout = settings.sessionIdleTimeoutMillis
        return state.withLock { s in
            var expired: [String] = []
            for (key, entry) in s.sessions where now - entry.session.lastUsed.milliseconds > timeout {
                expired.append(key.token)
            }
            for token in expired { s.endSession(token) }
            if s.accessTokens.count > s.sessions.count {
                s.accessTokens = s.accessTokens.filter { s.sessions[SessionKey($0.value)] != nil }
            }
            if expired.count > 1024 {
                // A mass expiry: give the emptied table's memory back instead of keeping its peak size.
                s.sessions = s.sessions.filter { _ in true }
                s.accessTokens = s.accessTokens.filter { _ in true }
            }
            return expired.count
        }
    }
}

/// Sweeps expired sessions in the background: one timer, every `interval` seconds, so sessions that are
/// never used again are freed (a lookup of an expired token ends it too). Holds the store weakly.
public final class SessionSweeper: Sendable {
    /// A dispatch source is thread-safe; it is only created here and cancelled in deinit.
    nonisolated(unsafe) let timer: any DispatchSourceTimer

    public init(store: Store, interval: Double = 30) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "vcd-mock-session-sweep", qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(1))
        timer.setEventHandler { [weak store] in store?.sweepExpiredSessions() }
        timer.resume()
        self.timer = timer
    }

    deinit { timer.cancel() }
}
