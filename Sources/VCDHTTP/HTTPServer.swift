import CMicroHTTPD
import CMicroHTTPDShims
import Foundation
import Synchronization

/// Server settings; `port` 0 lets the kernel choose. The limits are described in README "Limits and hardening".
public struct HTTPServerConfig: Sendable {
    public var host: String
    public var port: UInt16
    public var threads: Int
    public var maxBodyBytes: Int
    /// Seconds without a byte after which a connection is closed (keep-alive idle between requests).
    public var connectionTimeoutSeconds: Int
    /// HTTPS with this certificate and key; nil serves plain HTTP.
    public var tls: TLSIdentity?
    /// Open connections at most (see guard.c for what happens when full).
    public var maxConnections: Int
    /// Open connections per client address (loopback included).
    public var maxConnectionsPerIP: Int
    /// Seconds from connect (or from the last answer plus the idle timeout) to a complete request head.
    public var headerTimeoutSeconds: Int
    /// A body must arrive at least this fast (after the header timeout).
    public var minBodyBytesPerSecond: Int
    /// Request line + header fields, in bytes; larger gets 431.
    public var maxHeaderBytes: Int
    /// The request target, in bytes; longer gets 414.
    public var maxURLBytes: Int
    /// Milliseconds a connection held beyond the limit (instead of evicting, guard.c) has for its request head.
    public var holdMilliseconds: Int
    /// Connections held beyond the limit at once; nil: a quarter of `maxConnections` (at least 1).
    public var maxHeldConnections: Int?

    public init(host: String = "127.0.0.1", port: UInt16 = 8080, threads: Int = HTTPServerConfig.cores,
                maxBodyBytes: Int = 1 << 20, connectionTimeoutSeconds: Int = 15, tls: TLSIdentity? = nil,
                maxConnections: Int = 4096, maxConnectionsPerIP: Int = 256, headerTimeoutSeconds: Int = 10,
                minBodyBytesPerSecond: Int = 64 << 10, maxHeaderBytes: Int = 8 << 10, maxURLBytes: Int = 8 << 10,
                holdMilliseconds: Int = 2000, maxHeldConnections: Int? = nil) {
        self.tls = tls
        self.host = host
        self.port = port
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.minBodyBytesPerSecond = minBodyBytesPerSecond
        self.maxHeaderBytes = maxHeaderBytes
        self.maxURLBytes = maxURLBytes
        self.holdMilliseconds = holdMilliseconds
        self.maxHeldConnections = maxHeldConnections
    }

    public static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `maxHeldConnections`, or its default.
    public var heldConnections: Int { maxHeldConnections ?? max(1, maxConnections / 4) }

    /// MHD's per-connection memory pool: twice both head limits, so a head somewhat over them reaches the
    /// handler (and gets a vCD error) instead of MHD's own HTML 431/414. Not more: MHD zeroes the whole pool
    /// after every keep-alive request, so its size is paid on every request (48 KiB measured about 20% fewer
    /// GETs/s than the default 32 KiB, which the 8 KiB header and URL defaults keep).
    var memoryPoolBytes: Int { max(32 << 10, 2 * (maxHeaderBytes + maxURLBytes)) }
}

/// What the connection guard did so far (for /mock/health-style reporting and tests).
public struct ConnectionStats: Sendable, Equatable {
    public let open, accepted, refused, evicted, timedOut: UInt64
    /// Requests libmicrohttpd refused itself that got the handler's answer instead (EarlyAnswer.swift).
    public var answeredEarly: UInt64 = 0
    /// New connections held beyond the limit for a short while instead of evicting (guard.c), and how many
    /// of them are held now (not yet ordinary connections).
    public var held: UInt64 = 0
    public var holding: UInt64 = 0
}

public struct HTTPServerError: Error, CustomStringConvertible {
    public let description: String
}

/// What a handler answers: a response now, or later without holding a worker thread.
public enum HTTPAnswer: Sendable {
    case now(HTTPResponse)
    /// The connection is suspended; `start` gets a one-shot `respond` callable from any thread.
    case later(@Sendable (_ respond: @escaping @Sendable (HTTPResponse) -> Void) -> Void)
    /// No response: the connection is closed (fault injection).
    case drop
}

/// libmicrohttpd in epoll mode with a thread pool. Handlers run on the pool's threads and must be quick;
/// long waits answer `.later`, which suspends the connection (MHD_suspend_connection) instead of blocking.
public final class HTTPServer: Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPAnswer

    let context: ServerContext
    private let stopping = Once()
    nonisolated(unsafe) private let daemon: OpaquePointer
    public let port: UInt16
    /// "https" with a TLS identity, else "http".
    public let scheme: String
    private let pem: PEMCopies
    nonisolated(unsafe) private let guardHandle: OpaquePointer

    /// A server whose handler always answers at once.
    public convenience init(config: HTTPServerConfig, handler: @escaping @Sendable (HTTPRequest) -> HTTPResponse) throws {
        try self.init(config: config, answer: { .now(handler($0)) })
    }

    public init(config: HTTPServerConfig, answer handler: @escaping Handler) throws {
        var limits = vcdm_guard_config(max_connections: UInt32(clamping: max(1, config.maxConnections)),
                                       max_per_address: UInt32(clamping: max(0, config.maxConnectionsPerIP)),
                                       head_timeout_ms: UInt64(max(1, config.headerTimeoutSeconds)) * 1000,
                                       idle_timeout_ms: UInt64(max(1, config.connectionTimeoutSeconds)) * 1000,
                                       body_bytes_per_second: UInt64(max(1, config.minBodyBytesPerSecond)),
                                       max_body_bytes: UInt64(max(0, config.maxBodyBytes)),
                                       hold_ms: UInt64(max(1, config.holdMilliseconds)),
                                       max_held: UInt32(clamping: max(0, config.heldConnections)))
        guard let guardHandle = vcdm_guard_create(&limits) else {
            throw HTTPServerError(description: "cannot start the connection guard thread")
        }
        // Each connection is a descriptor, also one the guard has shut down until its worker closes it.
        _ = vcdm_raise_fd_limit(UInt64(vcdm_guard_max_open(guardHandle)) + 256)
        let context = ServerContext(maxBodyBytes: config.maxBodyBytes, maxHeaderBytes: config.maxHeaderBytes,
                                    maxURLBytes: config.maxURLBytes, guardHandle: guardHandle, handler: handler)
        let cls = Unmanaged.passUnretained(context).toOpaque()
        vcdm_guard_set_early_answer(guardHandle, earlyAnswer, cls)
        var err = [CChar](repeating: 0, count: 256)
        // MHD keeps pointers to the PEM strings it loads at start: copies that live as long as the server.
        let cert = config.tls.map { strdup($0.certificatePEM) } ?? nil
        let key = config.tls.map { strdup($0.keyPEM) } ?? nil
        self.pem = PEMCopies(cert: cert, key: key)
        guard let d = vcdm_start_daemon(config.host, config.port, UInt32(config.threads),
                                        UInt32(config.connectionTimeoutSeconds),
                                        guardHandle, config.memoryPoolBytes,
                                        accessHandler, cls, requestCompleted, cls, uriLogged, cls,
                                        cert, key, &err, err.count) else {
            vcdm_guard_destroy(guardHandle)
            throw HTTPServerError(description: cText(err))
        }
        self.guardHandle = guardHandle
        self.context = context
        self.daemon = d
        self.port = vcdm_daemon_port(d)
        self.scheme = config.tls == nil ? "http" : "https"
    }

    /// Stops accepting, answers what is suspended with 503, finishes nothing further; later calls do nothing.
    public func stop() {
        guard stopping.claim() else { return }
        vcdm_guard_close_answers(guardHandle, 2000)
        answerSuspended()
        MHD_stop_daemon(daemon)
        vcdm_guard_destroy(guardHandle)
    }

    /// Connections now open and what the guard refused, evicted or timed out so far.
    public var connectionStats: ConnectionStats {
        let s = vcdm_guard_stats(guardHandle)
        return ConnectionStats(open: s.open, accepted: s.accepted, refused: s.refused, evicted: s.evicted, timedOut: s.timed_out,
                               answeredEarly: s.answered_early, held: s.held, holding: s.holding)
    }
}

/// C copies of the certificate and key; freed (the key wiped) with the server.
final class PEMCopies: @unchecked Sendable {
    let cert: UnsafeMutablePointer<CChar>?
    let key: UnsafeMutablePointer<CChar>?
    init(cert: UnsafeMutablePointer<CChar>?, key: UnsafeMutablePointer<CChar>?) {
        self.cert = cert
        self.key = key
    }
    deinit {
        free(cert)
        if let key { memset(key, 0, strlen(key)) }
        free(key)
    }
}

final class ServerContext: Sendable {
    let maxBodyBytes: Int
    let maxHeaderBytes: Int
    let maxURLBytes: Int
    nonisolated(unsafe) let guardHandle: OpaquePointer
    let handler: HTTPServer.Handler
    /// Suspended requests by number, with their one-shot `respond` and path: `stop` answers them, because
    /// libmicrohttpd aborts the process when it is stopped with a connection still suspended.
    let suspended = Mutex<(next: UInt64, byID: [UInt64: (respond: @Sendable (HTTPResponse) -> Void, path: String)])>((1, [:]))
    init(maxBodyBytes: Int, maxHeaderBytes: Int, maxURLBytes: Int, guardHandle: OpaquePointer,
         handler: @escaping HTTPServer.Handler) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxURLBytes = maxURLBytes
        self.guardHandle = guardHandle
        self.handler = handler
    }
}

/// Per-request state, owned by the one MHD thread that serves the connection at a time.
final class RequestState: @unchecked Sendable {
    let uri: String
    var started = false
    var body: [UInt8] = []
    var tooLarge = false
    /// Set by another thread for a suspended request, read after MHD resumed it.
    let deferred = Mutex<HTTPResponse?>(nil)
    var suspended = false
    init(uri: String) { self.uri = uri }
}

/// A connection handle that another thread may resume.
struct ConnectionRef: @unchecked Sendable {
    let pointer: OpaquePointer
}

// The URI log callback runs first for every request; its return value becomes `con_cls`. The guard keeps
// it too, for a request MHD refuses before the handler sees it (EarlyAnswer.swift).
private let uriLogged: vcdm_uri_log_cb = { _, uri, connection in
    let state = Unmanaged.passRetained(RequestState(uri: uri.map { String(cString: $0) } ?? "/")).toOpaque()
    if let connection { vcdm_guard_request_started(connection, state) }
    return state
}

private let requestCompleted: MHD_RequestCompletedCallback = { cls, connection, conCls, _ in
    if let cls, let connection {
        vcdm_guard_idle(Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue().guardHandle, connection)
    }
    guard let conCls, let raw = conCls.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(raw).release()
    conCls.pointee = nil
}

private let accessHandler: MHD_AccessHandlerCallback = {
    cls, connection, _, method, version, uploadData, uploadSize, conCls in
    guard let cls, let connection, let conCls, let raw = conCls.pointee, let uploadSize else { return .NO }
    let context = Unmanaged<ServerContext>.fromOpaque(cls).takeUnretainedValue()
    let state = Unmanaged<RequestState>.fromOpaque(raw).takeUnretainedValue()
    // Answering on the first call makes MHD close the connection; wait for the next one.
    if !state.started {
        state.started = true
        vcdm_guard_head_received(context.guardHandle, connection)
        return .YES
    }
    let size = uploadSize.pointee
    if size > 0 {
        if !state.tooLarge, let uploadData {
            if state.body.count + size > context.maxBodyBytes {
                state.tooLarge = true
                state.body = []
            } else {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: size) {
                    state.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: size))
                }
            }
        }
        uploadSize.pointee = 0
        return .YES
    }
    if state.suspended {
        // Resumed: the deferred response is ready.
        guard let response = state.deferred.withLock({ $0 }) else { return .NO }
        return queue(response, on: connection)
    }
    vcdm_guard_busy(connection)
    let request = makeRequest(connection: connection, method: method, version: version, state: state, context: context)
    switch context.handler(request) {
    case .now(let response):
        return queue(response, on: connection)
    case .drop:
        return .NO
    case .later(let start):
        state.suspended = true
        MHD_suspend_connection(connection)
        let ref = ConnectionRef(pointer: connection)
        let box = Unmanaged.passRetained(state)
        let id = context.suspended.withLock { s -> UInt64 in
            defer { s.next += 1 }
            return s.next
        }
        // Claimed before the state is touched: a second call (the app's answer after `stop` answered) must
        // not reach the state, which the first call released.
        let once = Once()
        let respond: @Sendable (HTTPResponse) -> Void = { response in
            guard once.claim() else { return }
            box.takeUnretainedValue().deferred.withLock { $0 = response }
            _ = context.suspended.withLock { $0.byID.removeValue(forKey: id) }
            MHD_resume_connection(ref.pointer)
            box.release()
        }
        context.suspended.withLock { $0.byID[id] = (respond, request.path) }
        start(respond)
        return .YES
    }
}

private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    // Zero copy: MHD sends straight from the array storage (never mutated, so it does not move), kept
    // alive by a box until MHD calls releaseBody.
    let box = Unmanaged.passRetained(BodyBox(response.body, pooled: response.pooledBody))
    let mhdResponse = box.takeUnretainedValue().body.withUnsafeBytes { buf in
        MHD_create_response_from_buffer_with_free_callback_cls(
            buf.count, UnsafeMutableRawPointer(mutating: buf.baseAddress), releaseBody, box.toOpaque())
    }
    guard let mhdResponse else {
        box.release()
        return .NO
    }
    // In place (`for header in` copied each name and value: four reference count operations a header).
    // withCString: a short name or value goes through the stack (the implicit conversion made a heap copy).
    response.headers.withUnsafeBufferPointer { headers in
        for i in headers.indices {
            _ = headers[i].name.withCString { name in headers[i].value.withCString { MHD_add_response_header(mhdResponse, name, $0) } }
        }
    }
    let result = MHD_queue_response(connection, UInt32(response.status), mhdResponse)
    MHD_destroy_response(mhdResponse)
    return result
}

/// Text of a NUL-terminated C buffer.
func cText(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

private let releaseBody: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    Unmanaged<BodyBox>.fromOpaque(cls).release()
}

/// Owns a response body while MHD sends it; a pooled one then goes back to the pool.
final class BodyBox: @unchecked Sendable {
    private(set) var body: [UInt8]
    let pooled: Bool
    init(_ body: [UInt8], pooled: Bool) { (self.body, self.pooled) = (body, pooled) }

    deinit {
        guard pooled else { return }
        var sent: [UInt8] = []
        swap(&sent, &body)
        BodyPool.shared.recycle(sent)
    }
}
