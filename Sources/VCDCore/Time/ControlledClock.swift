import Synchronization

/// A clock tests can stop and move (`--clock fixed:<ISO8601>`, `POST /mock/clock`): real time (optionally
/// shifted by `advance`), or fixed at an instant until `set`, `advance` or `release` changes it.
/// Thread-safe. Reading takes no lock: every request reads the clock (the journal's time, session idle
/// checks), and a lock shared by the request threads cost ~1% of a GET in cache-line traffic (`perf`).
/// Changes are serialized by a lock and store the offset before the mode, so a reader sees one state or
/// the next, never a fixed clock's offset on a real one.
public final class ControlledClock: TimeSource {
    public enum Mode: String, Sendable { case real, fixed }

    /// The fixed instant in milliseconds, or `real` while the clock runs.
    private let fixedAt: Atomic<Int64>
    /// Milliseconds added to system time while real (0 unless advanced).
    private let offset = Atomic<Int64>(0)
    private let changes = Locked(())
    private let system: any TimeSource
    private static let real = Int64.min

    /// Real time; `fixed` stops it at that instant.
    public init(fixed: Timestamp? = nil, system: any TimeSource = SystemClock()) {
        self.system = system
        fixedAt = Atomic(fixed?.milliseconds ?? Self.real)
    }

    public func now() -> Timestamp {
        let fixed = fixedAt.load(ordering: .acquiring)
        if fixed != Self.real { return Timestamp(milliseconds: fixed) }
        return system.now().adding(milliseconds: offset.load(ordering: .relaxed))
    }

    public var mode: Mode { fixedAt.load(ordering: .acquiring) == Self.real ? .real : .fixed }

    /// Stops the clock at `instant`.
    public func set(_ instant: Timestamp) {
        changes.withLock { _ in fixedAt.store(instant.milliseconds == Self.real ? Self.real + 1 : instant.milliseconds, ordering: .releasing) }
    }

    /// Moves a fixed clock by `milliseconds` (negative goes back); a real clock runs that far ahead.
    public func advance(milliseconds: Int64) {
        changes.withLock { _ in
            let fixed = fixedAt.load(ordering: .relaxed)
            if fixed == Self.real {
                offset.store(offset.load(ordering: .relaxed) &+ milliseconds, ordering: .relaxed)
            } else {
                let moved = Timestamp(milliseconds: fixed).adding(milliseconds: milliseconds).milliseconds
                fixedAt.store(moved == Self.real ? Self.real + 1 : moved, ordering: .releasing)
            }
        }
    }

    /// Back to real time, without any offset.
    public func release() {
        changes.withLock { _ in
            offset.store(0, ordering: .relaxed)
            fixedAt.store(Self.real, ordering: .releasing)
        }
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
