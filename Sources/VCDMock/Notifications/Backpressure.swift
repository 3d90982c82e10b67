/// Backpressure for notifications: a request that may record events (anything but GET/HEAD outside
/// `/mock`) waits, before the store is touched, until the AMQP outbox has room. If it stays full for
/// the publisher's `roomWait`, the request is refused with 503 and nothing is done, so no notification
/// is promised that the outbox would then have to drop.
extension Step {
    static let backpressure = Step(name: "backpressure") { app, ex throws(APIError) in
        let method = ex.request.method
        if method == "GET" || method == "HEAD" || ex.request.path.hasPrefix("/mock") { return nil }
        let notifier = app.notifier
        guard notifier.publishes else { return nil }
        let publisher = notifier.publisher
        if !publisher.waitForRoom(timeout: publisher.roomWait) {
            throw APIError(503, "SERVICE_UNAVAILABLE",
                           "The AMQP notification outbox (--outbox-size \(publisher.capacity)) stayed full for \(publisher.roomWait) s: the broker confirms notifications slower than they are made. Retry later, consume the notification queues faster, or start vcd-mock with a larger --outbox-size.")
        }
        return nil
    }
}
