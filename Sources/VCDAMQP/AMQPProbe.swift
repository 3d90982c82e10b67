/// Connects and logs in once, then closes: the check behind `settings/amqp/action/test`.
public enum AMQPProbe {
    /// nil when the broker accepted the connection; otherwise what went wrong.
    public static func check(_ endpoint: AMQPEndpoint, timeoutMillis: Int32 = 3000) -> String? {
        AMQPConnection.check(endpoint, timeoutMillis: timeoutMillis)
    }
}
