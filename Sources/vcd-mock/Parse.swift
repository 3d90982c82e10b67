import ArgumentParser
import Logging
import VCDCore

/// Parsers for option values given as flags or `VCD_MOCK_*` variables; a bad value is a usage error (exit 2).
enum Parse {
    /// `--clock`: `real` (the default) or `fixed:<ISO8601>`; either way POST /mock/clock can move it later.
    static func clock(_ text: String?, flag: String) throws -> ControlledClock {
        guard let text, text.lowercased() != "real" else { return ControlledClock() }
        guard text.lowercased().hasPrefix("fixed:"), let instant = Timestamp(iso8601: String(text.dropFirst(6))) else {
            throw ValidationError("\(flag) '\(text)' must be real or fixed:<ISO8601>, e.g. fixed:2024-05-01T10:00:00.000Z")
        }
        return ControlledClock(fixed: instant)
    }

    /// `--seed`: a whole number 0...2^64-1 (decimal, or hex with 0x).
    static func seed(_ text: String?, flag: String) throws -> UInt64? {
        guard let text else { return nil }
        let value = text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        guard let value else { throw ValidationError("\(flag) '\(text)' is not a whole number from 0 to 18446744073709551615") }
        return value
    }

    /// `--task-duration`: seconds (`2`, `0.5`) or an ISO 8601 duration (`PT2S`), in milliseconds.
    static func duration(_ text: String?, flag: String) throws -> Int64? {
        guard let text else { return nil }
        if let seconds = Double(text), seconds >= 0, seconds < 1e9 { return Int64((seconds * 1000).rounded()) }
        guard let ms = ControlledClock.milliseconds(iso8601Duration: text), ms >= 0 else {
            throw ValidationError("\(flag) '\(text)' is not a duration: give seconds (2, 0.5) or ISO 8601 (PT2S)")
        }
        return ms
    }

    static func logLevel(_ text: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("--log-level '\(text)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }

    static func number(_ flag: Int?, _ env: [String: String], _ name: String, _ fallback: Int, min: Int) throws -> Int {
        if let flag {
            guard flag >= min else { throw ValidationError("value \(flag) is below \(min)") }
            return flag
        }
        guard let text = env[name] else { return fallback }
        guard let value = Int(text), value >= min else { throw ValidationError("\(name)=\(text) is not a whole number ≥ \(min)") }
        return value
    }
}
