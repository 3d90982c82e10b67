import CRabbitMQShims
import Foundation

/// One rabbitmq-c connection with channel 1 open. Owned by one thread; freed exactly once, in deinit.
final class AMQPConnection {
    private let handle: OpaquePointer

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

    func publish(_ m: OutgoingMessage, mandatory: Bool = true) throws(Failure) {
        var err = [CChar](repeating: 0, count: 512)
        let keys = m.headers.map(\.key)
        let values = m.headers.map(\.value)
        // strdup'ed copies: rabbitmq-c only borrows the pointers during the call.
        let cKeys = keys.map { strdup($0) }
        let cValues = values.map { strdup($0) }
        defer { (cKeys + cValues).forEach { free($0) } }
        let rc = cKeys.map { UnsafePointer($0) }.withUnsafeBufferPointer { kp in
            cValues.map { UnsafePointer($0) }.withUnsafeBufferPointer { vp in
                m.body.withUnsafeBytes { body in
                    vcdm_amqp_publish(handle, m.exchange, m.routingKey, mandatory ? 1 : 0, m.contentType, m.messageID,
                                      m.correlationID, m.replyTo, Int32(keys.count), kp.baseAddress, vp.baseAddress,
                                      body.baseAddress, body.count, &err, err.count)
                }
            }
        }
        guard rc == 0 else { throw Failure(description: text(err)) }
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

private func text(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func tupleText<T>(_ tuple: inout T) -> String {
    withUnsafeBytes(of: &tuple) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
}
