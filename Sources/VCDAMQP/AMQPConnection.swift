import CRabbitMQShims
import Foundation

/// One rabbitmq-c connection with channel 1 open. Owned by one thread; freed exactly once, in deinit.
final class AMQPConnection {
    private let handle: OpaquePointer
    /// `publish`'s strings and where each lies, reused from message to message.
    private var scratch: [UInt8] = []
    private var spans: [Range<Int>] = []

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    enum Event {
        case timeout
        case ack(tag: UInt64, multiple: Bool)
        case nack(tag: UInt64, multiple: Bool)
        case returned(messageID: String, exchange: String, reason: String)
        case closed(String)
        case delivery(correlationID: String, body: [UInt8])
        case other
    }

    init(_ endpoint: AMQPEndpoint, timeoutMillis: Int32 = 3000) throws(Failure) {
        var err = [CChar](repeating: 0, count: 512)
        guard let h = vcdm_amqp_connect(endpoint.host, Int32(endpoint.port), endpoint.vhost, endpoint.username,
                                        endpoint.password, timeoutMillis, &err, err.count) else {
            throw Failure(description: text(err))
        }
        handle = h
    }

    deinit { vcdm_amqp_close(handle) }

    func declareExchange(_ name: String, type: String) throws(Failure) {
        var err = [CChar](repeating: 0, count: 512)
        guard vcdm_amqp_declare_exchange(handle, name, type, &err, err.count) == 0 else { throw Failure(description: text(err)) }
    }

    func confirmSelect() throws(Failure) {
        var err = [CChar](repeating: 0, count: 512)
        guard vcdm_amqp_confirm_select(handle, &err, err.count) == 0 else { throw Failure(description: text(err)) }
    }

    /// Sends one message now.
    func publish(_ message: OutgoingMessage, mandatory: Bool = true) throws(Failure) {
        try append(message, mandatory: mandatory)
        try flush()
    }

    /// Sends what `append` buffered, in one system call when the socket takes it all.
    func flush() throws(Failure) {
        var failure: String?
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { err in
            err[0] = 0
            if vcdm_amqp_flush(handle, err.baseAddress, err.count) != 0 {
                failure = text(err)
            }
        }
        if let failure { throw Failure(description: failure) }
    }

    /// Encodes a message's frames into the connection's output, to leave with the next `flush` (or at once
    /// past 256 KiB buffered): a batch costs one send, not three per message.
    func append(_ message: OutgoingMessage, mandatory: Bool = true) throws(Failure) {
        let m = message.made()  // a notification is rendered here, on the publisher thread
        // Every string is copied once into `scratch` (kept between messages) and handed to C as (pointer,
        // length): no NUL-terminated copy and no allocation per string. rabbitmq-c only borrows them.
        let n = m.headers.count
        scratch.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        let exchange = add(message.exchange), key = add(m.routingKey), type = add(message.contentType), id = add(m.messageID)
        let correlation = message.correlationID.map(add), replyTo = message.replyTo.map(add)
        for h in m.headers {
            spans.append(add(h.key))
            spans.append(add(h.value))
        }
        scratch.append(0)  // never empty, so its base address is never nil
        var failure: String?
        scratch.withUnsafeBytes { strings in
            let base = strings.baseAddress
            func bytes(_ r: Range<Int>?) -> vcdm_bytes {
                guard let r, let base else { return vcdm_bytes(bytes: nil, len: 0) }
                return vcdm_bytes(bytes: base + r.lowerBound, len: r.count)
            }
            withUnsafeTemporaryAllocation(of: vcdm_bytes.self, capacity: max(1, 2 * n)) { split in
                // Keys first (0..<n), then values (n..<2n), as the C side wants them.
                for i in 0..<n {
                    split[i] = bytes(spans[2 * i])
                    split[n + i] = bytes(spans[2 * i + 1])
                }
                withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { err in
                    err[0] = 0
                    let rc = m.body.withUnsafeBytes { body in
                        var c = vcdm_amqp_message(
                            exchange: bytes(exchange), routing_key: bytes(key), content_type: bytes(type), message_id: bytes(id),
                            correlation_id: bytes(correlation), reply_to: bytes(replyTo), mandatory: mandatory ? 1 : 0,
                            header_count: Int32(n), header_keys: UnsafePointer(split.baseAddress),
                            header_values: split.baseAddress.map { UnsafePointer($0 + n) },
                            body: vcdm_bytes(bytes: body.baseAddress, len: body.count))
                        return vcdm_amqp_publish(handle, &c, err.baseAddress, err.count)
                    }
                    if rc != 0 {
                        failure = text(err)
                    }
                }
            }
        }
        if let failure { throw Failure(description: failure) }
    }

    /// Appends `s` to `scratch`; where it lies there.
    private func add(_ s: String) -> Range<Int> {
        let start = scratch.count
        scratch.append(contentsOf: s.utf8)
        return start..<scratch.count
    }

    func nextEvent(timeoutMillis: Int32) -> Event {
        var ev = vcdm_amqp_event()
        switch Int(vcdm_amqp_next_event(handle, timeoutMillis, &ev)) {
        case Int(VCDM_AMQP_TIMEOUT): return .timeout
        case Int(VCDM_AMQP_ACK): return .ack(tag: ev.delivery_tag, multiple: ev.multiple != 0)
        case Int(VCDM_AMQP_NACK): return .nack(tag: ev.delivery_tag, multiple: ev.multiple != 0)
        case Int(VCDM_AMQP_RETURN):
            return .returned(messageID: tupleText(&ev.message_id), exchange: tupleText(&ev.exchange),
                             reason: "\(ev.reply_code) \(tupleText(&ev.text))")
        case Int(VCDM_AMQP_CLOSED): return .closed(tupleText(&ev.text))
        case Int(VCDM_AMQP_DELIVERY):
            defer { vcdm_amqp_free(ev.body) }
            let body = ev.body.map { Array(UnsafeBufferPointer(start: $0, count: ev.body_len)) } ?? []
            return .delivery(correlationID: tupleText(&ev.correlation_id), body: body)
        default: return .other
        }
    }

    /// Declares a queue ("" = server-named) and returns its name.
    func declareQueue(_ name: String, exclusive: Bool, autoDelete: Bool) throws(Failure) -> String {
        var err = [CChar](repeating: 0, count: 512)
        var out = [CChar](repeating: 0, count: 256)
        guard vcdm_amqp_declare_queue(handle, name, exclusive ? 1 : 0, autoDelete ? 1 : 0, &out, out.count, &err, err.count) == 0 else {
            throw Failure(description: text(err))
        }
        return text(out)
    }

    func bindQueue(_ queue: String, exchange: String, key: String) throws(Failure) {
        var err = [CChar](repeating: 0, count: 512)
        guard vcdm_amqp_bind_queue(handle, queue, exchange, key, &err, err.count) == 0 else { throw Failure(description: text(err)) }
    }

    func consume(_ queue: String) throws(Failure) {
        var err = [CChar](repeating: 0, count: 512)
        guard vcdm_amqp_consume(handle, queue, &err, err.count) == 0 else { throw Failure(description: text(err)) }
    }

    /// Whether an exchange exists (a passive declare on channel 2, so a 404 does not stop channel 1).
    func exchangeExists(_ name: String) throws(Failure) -> Bool {
        var err = [CChar](repeating: 0, count: 512)
        switch vcdm_amqp_exchange_exists(handle, name, &err, err.count) {
        case 1: return true
        case 0: return false
        default: throw Failure(description: text(err))
        }
    }

    enum Readiness { case frame, wake, timeout }

    /// Waits for a frame or for `wakeFD` (an eventfd) to become readable.
    func wait(wakeFD: Int32, timeoutMillis: Int32) throws(Failure) -> Readiness {
        switch vcdm_amqp_wait(handle, wakeFD, timeoutMillis) {
        case 1: return .frame
        case 2: return .wake
        case 0: return .timeout
        default: throw Failure(description: "poll failed on the broker connection")
        }
    }

    /// Connects, logs in and closes: what `action/test` needs. nil when the broker accepted us.
    static func check(_ endpoint: AMQPEndpoint, timeoutMillis: Int32 = 3000) -> String? {
        do {
            _ = try AMQPConnection(endpoint, timeoutMillis: timeoutMillis)
            return nil
        } catch {
            return error.description
        }
    }
}

/// The NUL-terminated error text the shim wrote into `buffer`.
private func text<C: Collection<CChar>>(_ buffer: C) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func tupleText<T>(_ tuple: inout T) -> String {
    withUnsafeBytes(of: &tuple) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
