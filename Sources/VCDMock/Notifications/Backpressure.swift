import Dispatch

/// Backpressure for notifications: a request that may record events (anything but GET/HEAD outside
/// `/mock`) waits, before the store is touched, until the AMQP outbox has room. It waits without a
/// thread: the connection is suspended (`.later`) and the rest of the pipeline runs when the publisher
/// reports room. If the outbox stays full for the publisher's `roomWait`, the request is refused with
/// 503 and nothing is done, so no notification is promised that the outbox would then have to drop.
extension Step {
    static let backpressure = Step(name: "backpressure") { app, ex throws(APIError) in
        let method = ex.request.method
        if method == "GET" || method == "HEAD" || ex.request.path.hasPrefix("/mock") { return nil }
        let notifier = app.notifier
        guard notifier.publishes else { return nil }
        let publisher = notifier.publisher
        if publisher.hasRoom { return nil }
        let paused = ex
        return .later(Later(resuming: { deliver in
            let resume: @Sendable (Bool) -> Void = { room in
                var resumed = paused
                let outcome = room ? app.run(&resumed, from: Backpressure.next)
                                   : .failure(Backpressure.refusal(publisher.capacity, publisher.roomWait))
                deliver(outcome, resumed)
                // Those waiting behind this request go on if it left room (e.g. it failed and promised nothing).
                if room { publisher.admitRoomWaiters() }
            }
            // Room may have appeared since the check; then go on, but off the caller's stack.
            if publisher.whenRoom(timeout: publisher.roomWait, resume) {
                DispatchQueue.global().async { resume(true) }
            }
        }))
    }
}

enum Backpressure {
    /// The step after `backpressure`, where a resumed request goes on.
    static let next = (App.steps.firstIndex { $0.name == "backpressure" } ?? App.steps.count - 2) + 1

    static func refusal(_ capacity: Int, _ wait: Double) -> APIError {
        APIError(503, "SERVICE_UNAVAILABLE",
                 "The AMQP notification outbox (--outbox-size \(capacity)) stayed full for \(wait) s: the broker confirms notifications slower than they are made. Retry later, consume the notification queues faster, or start vcd-mock with a larger --outbox-size.")
    }
}
