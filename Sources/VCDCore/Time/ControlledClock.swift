/// A clock tests can stop and move (`--clock fixed:<ISO8601>`, `POST /mock/clock`): real time (optionally
/// shifted by `advance`), or fixed at an instant until `set`, `advance` or `release` changes it.
/// Thread-safe.
public final class ControlledClock: TimeSource {
    public enum Mode: String, Sendable { case real, fixed }

    private enum State {
        /// System time plus an offset in milliseconds (0 unless advanced while real).
        case real(offset: Int64)
        case fixed(Timestamp)
    }

    private let state: Locked<State>
    private let system: any TimeSource

    /// Real time; `fixed` stops it at that instant.
    public init(fixed: Timestamp? = nil, system: any TimeSource = SystemClock()) {
        self.system = system
        state = Locked(fixed.map(State.fixed) ?? .real(offset: 0))
    }

    public func now() -> Timestamp {
        switch state.withLock({ $0 }) {
        case .real(let offset): system.now().adding(milliseconds: offset)
        case .fixed(let t): t
        }
    }

    public var mode: Mode {
        if case .fixed = state.withLock({ $0 }) { return .fixed }
        return .real
    }

    /// Stops the clock at `instant`.
    public func set(_ instant: Timestamp) {
        state.withLock { $0 = .fixed(instant) }
    }

    /// Moves a fixed clock by `milliseconds` (negative goes back); a real clock runs that far ahead.
    public func advance(milliseconds: Int64) {
        state.withLock { s in
            switch s {
            case .real(let offset): s = .real(offset: offset &+ milliseconds)
            case .fixed(let t): s = .fixed(t.adding(milliseconds: milliseconds))
            }
        }
    }

    /// Back to real time, without any offset.
    public func release() {
        state.withLock { $0 = .real(offset: 0) }
    }

    /// Milliseconds in an ISO 8601 duration such as `PT5S`, `PT1.5S`, `P1DT2H`, `-PT10M` (no years or
    /// months: their length varies); nil when the text is not one.
    public static func milliseconds(iso8601Duration text: String) -> Int64? {
        var chars = Substring(text.uppercased())
        var sign: Int64 = 1
        if chars.first == "-" { sign = -1; chars = chars.dropFirst() } else if chars.first == "+" { chars = chars.dropFirst() }
        guard chars.first == "P" else { return nil }
        chars = chars.dropFirst()
        var total: Double = 0
        var inTime = false
        var number = ""
        var sawPart = false
        var lastRank = -1
        for c in chars {
            if c.isNumber || c == "." || c == "," {
                number.append(c == "," ? "." : c)
                continue
            }
            if c == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let value = Double(number) else { return nil }
            let rank: Int
            let unit: Double
            switch (c, inTime) {
            case ("W", false): (rank, unit) = (0, 604_800_000)
            case ("D", false): (rank, unit) = (1, 86_400_000)
            case ("H", true): (rank, unit) = (2, 3_600_000)
            case ("M", true): (rank, unit) = (3, 60_000)
            case ("S", true): (rank, unit) = (4, 1000)
            default: return nil
            }
            guard rank > lastRank else { return nil }
            lastRank = rank
            total += value * unit
            number = ""
            sawPart = true
        }
        guard sawPart, number.isEmpty, total.isFinite, total < 9e15 else { return nil }
        return sign * Int64(total.rounded())
    }
}
