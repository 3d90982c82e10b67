import ArgumentParser

/// The serve command's options: the table of every flag, its `VCD_MOCK_*` variable and default (in its
/// help text). A flag wins over its variable; `Settings` resolves them in one place.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (IPv4 or IPv6). [VCD_MOCK_HOST, default 127.0.0.1]")
    var host: String?

    @Option(help: "TCP port; 0 picks a free one (see the 'listening on' line). [VCD_MOCK_PORT, default 8080]")
    var port: UInt16?

    @Option(help: "Directory of fixture YAML files. [VCD_MOCK_FIXTURES, default Fixtures/default]")
    var fixtures: String?

    @Option(help: "Base URL of every href, e.g. https://vcd.example.test. [VCD_MOCK_PUBLIC_URL, default http://<Host header>]")
    var publicURL: String?

    @Option(help: "trace, debug, info (one line per request), notice, warning, error or critical. [VCD_MOCK_LOG_LEVEL, default info]")
    var logLevel: String?

    @Option(help: "Largest request body in bytes; larger ones get 413. [VCD_MOCK_MAX_BODY, default 1048576]")
    var maxBody: Int?

    @Option(help: "Open connections at most; when full a new one evicts the oldest connection still waiting for a request, or is closed at once. [VCD_MOCK_MAX_CONNECTIONS, default 4096]")
    var maxConnections: Int?

    @Option(help: "Open connections per client address, loopback included; more are closed at once. [VCD_MOCK_MAX_CONNECTIONS_PER_IP, default 256]")
    var maxConnectionsPerIp: Int?

    @Option(help: "Milliseconds a connection held beyond --max-connections (a full server, the new client's address as heavy as the one it would evict) has to send a complete request head. [VCD_MOCK_HOLD_TIME, default 2000]")
    var holdTime: Int?

    @Option(help: "Connections held beyond --max-connections at once; past it a new one is closed at once (0: never held). [VCD_MOCK_MAX_HELD_CONNECTIONS, default a quarter of --max-connections]")
    var maxHeldConnections: Int?

    @Option(help: "Seconds a client has to send a complete request head, however slowly it trickles. [VCD_MOCK_HEADER_TIMEOUT, default 10]")
    var headerTimeout: Int?

    @Option(help: "Seconds a connection may stay silent (keep-alive between requests) before it is closed. [VCD_MOCK_IDLE_TIMEOUT, default 15]")
    var idleTimeout: Int?

    @Option(help: "Bytes per second a request body must arrive at, after the header timeout. [VCD_MOCK_MIN_BODY_RATE, default 65536]")
    var minBodyRate: Int?

    @Option(help: "Largest request head (header fields) in bytes; larger gets 431. [VCD_MOCK_MAX_HEADER_BYTES, default 8192, as Tomcat under vCD]")
    var maxHeaderBytes: Int?

    @Option(help: "Longest request URL in bytes; longer gets 414. [VCD_MOCK_MAX_URL_BYTES, default 8192]")
    var maxUrlBytes: Int?

    @Option(help: "Minutes a session token lives without use. [VCD_MOCK_SESSION_TIMEOUT, default 30]")
    var sessionTimeout: Int?

    @Option(help: "HTTP worker threads. [VCD_MOCK_THREADS, default: number of cores]")
    var threads: Int?

    @Option(help: "Broker for notifications: amqp://user:pass@host:port/vhost (vhost %2F = /). Without it no broker is used until the AMQP settings are PUT. [VCD_MOCK_AMQP_URL]")
    var amqpURL: String?

    @Option(help: "Topic exchange for XML notifications (JSON ones go to vcd.notifications20). [VCD_MOCK_AMQP_EXCHANGE, default systemExchange]")
    var amqpExchange: String?

    @Option(help: "on or off. [VCD_MOCK_NOTIFICATIONS, default on when an AMQP URL is given]")
    var notifications: String?

    @Option(help: "Messages the AMQP outbox holds (queued, retrying or unconfirmed). When full, requests that would notify wait up to 5 s for room, then answer 503; a message still without room then is refused, logged and counted. [VCD_MOCK_OUTBOX_SIZE, default 10000]")
    var outboxSize: Int?

    @Option(help: "Events kept per org; the oldest are dropped and counted. [VCD_MOCK_EVENT_RETENTION, default 10000]")
    var eventRetention: Int?

    @Option(help: "Seconds to wait for an extension service's reply before answering 504. [VCD_MOCK_EXTENSION_TIMEOUT, default 10]")
    var extensionTimeout: Double?

    @Option(help: "Handled requests GET /mock/requests keeps; the oldest are dropped and counted. [VCD_MOCK_JOURNAL_SIZE, default 10000]")
    var journalSize: Int?

    @Option(help: "AMQP messages GET /mock/messages keeps; the oldest are dropped and counted. [VCD_MOCK_MESSAGE_JOURNAL_SIZE, default 10000]")
    var messageJournalSize: Int?

    @Option(help: "Require Authorization: Bearer <token> on /mock/... from non-loopback clients (loopback stays open). [VCD_MOCK_CONTROL_TOKEN]")
    var controlToken: String?

    @Option(help: "Makes generated ids (tasks, events, session tokens, request ids) reproducible: the same seed gives the same ids on every run. [VCD_MOCK_SEED, default random]")
    var seed: String?

    @Option(help: "real, or fixed:<ISO8601> (e.g. fixed:2024-05-01T10:00:00.000Z) to stop the clock; POST /mock/clock moves it. [VCD_MOCK_CLOCK, default real]")
    var clock: String?

    @Option(help: "How long each vApp operation's task takes: seconds (2, 0.5) or ISO 8601 (PT2S); per operation at run time with PUT /mock/operations/{operationName}. [VCD_MOCK_TASK_DURATION, default 2]")
    var taskDuration: String?

    @Flag(help: "Serve HTTPS with a self-signed certificate made at start for the host name, localhost and 127.0.0.1 (ECDSA P-256, valid a year). [VCD_MOCK_TLS=1, default off: plain HTTP]")
    var tls = false

    @Option(help: "Serve HTTPS with this PEM certificate (needs --tls-key). [VCD_MOCK_TLS_CERT]")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert. [VCD_MOCK_TLS_KEY]")
    var tlsKey: String?

    @Option(help: "Also write the certificate served (PEM) to this file, to trust it: curl --cacert FILE, REQUESTS_CA_BUNDLE=FILE. [VCD_MOCK_TLS_CERT_OUT]")
    var tlsCertOut: String?
}
