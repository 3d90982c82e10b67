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
        default: return .other
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
