import Foundation

/// Where "now" comes from; injected so tests and golden files can fix it.
public protocol Clock: Sendable {
    func now() -> Timestamp
}

public struct SystemClock: Clock {
    public init() {}
    public func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

/// Ids for entities the mock creates; injected for the same reason as the clock.
public protocol IDGenerator: Sendable {
    func uuid() -> String
    func token() -> String
}

public struct RandomIDs: IDGenerator {
    public init() {}
    public func uuid() -> String { UUID().uuidString.lowercased() }
    public func token() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(rng.next() as UInt64, radix: 16) }.joined()
    }
}

/// Stable ids for fixture entities that name no id: the same name gives the same UUID on every start.
public enum StableID {
    public static func uuid(_ parts: String...) -> String {
        let text = parts.joined(separator: "/")
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            h1 = (h1 ^ UInt64(byte)) &* 0x100_0000_01b3
            h2 = (h2 ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9e37_79b9
        }
        // Version 8 (custom) and the RFC 4122 variant bits.
        h1 = (h1 & ~0xf000) | 0x8000
        h2 = (h2 & ~(0xc << 60)) | (0x8 << 60)
        let hex = String(format: "%016llx%016llx", h1, h2)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }
}
