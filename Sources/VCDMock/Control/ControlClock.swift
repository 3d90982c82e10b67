import Foundation
import VCDCore

/// `/mock/clock`: read, stop, move and release the clock behind startTime, expiryTime, endTime and event
/// times. Answers `{"now": "<ISO8601>", "mode": "fixed"|"real"}`; errors are JSON `{"error": "..."}`.
enum ControlClock {
    struct View: Encodable {
        let now: String
        let mode: String
    }

    static func get(_ c: Context) throws(APIError) -> Reply {
        return try view(c.store.clock)
    }

    /// Body: `{"set": "<ISO8601>"}`, `{"advance": "PT5S"}` or `{"advance": 5000}` (milliseconds),
    /// or `{"release": true}`; exactly one of them.
    static func post(_ c: Context) throws(APIError) -> Reply {
        guard let clock = c.store.clock as? ControlledClock else {
            throw .conflict("This server's clock is not controllable (it was started without a ControlledClock).")
        }
        let command: Command
        do {
            command = try JSONDecoder().decode(Command.self, from: Data(c.request.body))
        } catch let error as Command.Invalid {
            throw .badRequest(error.message)
        } catch {
            throw .badRequest("the body is not a JSON object; " + Command.usage)
        }
        switch command {
        case .set(let instant): clock.set(instant)
        case .advance(let ms): clock.advance(milliseconds: ms)
        case .release: clock.release()
        }
        c.store.runDueWork()  // vApp tasks now due move before the answer, so tests step deterministically
        // Sessions idle past the timeout on the new clock end now, not at the next background sweep.
        c.store.sweepExpiredSessions()
        return try view(clock)
    }

    enum Command: Decodable {
        case set(Timestamp)
        case advance(Int64)
        case release

        static let usage = "send {\"set\": \"2024-05-01T10:00:00.000Z\"}, {\"advance\": \"PT5S\"} (or milliseconds) or {\"release\": true}"

        struct Invalid: Error { let message: String }

        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            guard c.allKeys.count == 1, let key = c.allKeys.first else {
                throw Invalid(message: "give exactly one of set, advance, release; " + Self.usage)
            }
            switch key.stringValue {
            case "set":
                guard let text = try? c.decode(String.self, forKey: key), let instant = Timestamp(iso8601: text) else {
                    throw Invalid(message: "set: not an ISO 8601 date-time such as 2024-05-01T10:00:00.000Z")
                }
                self = .set(instant)
            case "advance":
                if let text = try? c.decode(String.self, forKey: key) {
                    guard let ms = ControlledClock.milliseconds(iso8601Duration: text) else {
                        throw Invalid(message: "advance: '\(text)' is not an ISO 8601 duration such as PT5S")
                    }
                    self = .advance(ms)
                } else if let ms = try? c.decode(Int64.self, forKey: key) {
                    self = .advance(ms)
                } else {
                    throw Invalid(message: "advance: give an ISO 8601 duration such as \"PT5S\" or whole milliseconds")
                }
            case "release":
                guard (try? c.decode(Bool.self, forKey: key)) == true else {
                    throw Invalid(message: "release: give {\"release\": true}")
                }
                self = .release
            default:
                throw Invalid(message: "unknown key '\(key.stringValue)'; " + Self.usage)
            }
        }
    }

    static func view(_ clock: any TimeSource) throws(APIError) -> Reply {
        let mode = (clock as? ControlledClock)?.mode.rawValue ?? "real"
        return try ControlStatus.json(View(now: clock.now().iso8601, mode: mode))
    }
}
