import Foundation
import Synchronization

/// Where "now" comes from; injected so tests and golden files can fix it.
public protocol TimeSource: Sendable {
    func now() -> Timestamp
}

public struct SystemClock: TimeSource {
    public init() {}
    public func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

/// Ids for entities the mock creates; injected for the same reason as the clock.
public protocol IDGenerator: Sendable {
    func uuid() -> String
    func token() -> String
    /// The next `uuid()` as the store keeps it, without making its text (a task POST makes three).
    func compactUUID() -> CompactID
}

extension IDGenerator {
    public func compactUUID() -> CompactID { CompactID(uuid()) }
}

/// Random v4-shaped UUIDs without a syscall each: a counter run through splitmix64 from random seeds
/// (a bijection, so no two ids of one process collide). Foundation's UUID() opens the kernel's random
/// device every time, which was 11% of a task POST. Tokens stay on the system's cryptographic source.
public final class RandomIDs: IDGenerator {
    private let seeds: (UInt64, UInt64)
    private let counter = Atomic<UInt64>(0)

    public init() {
        var rng = SystemRandomNumberGenerator()
        seeds = (rng.next(), rng.next())
    }

    public func uuid() -> String {
        compactUUID().description
    }

    public func compactUUID() -> CompactID {
        counterUUID(counter.add(1, ordering: .relaxed).newValue, seeds.0, seeds.1)
    }

    public func token() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(rng.next() as UInt64, radix: 16) }.joined()
    }
}

/// The n-th v4-shaped UUID of a sequence keyed by two seeds (distinct for distinct n).
func counterUUID(_ n: UInt64, _ seed0: UInt64, _ seed1: UInt64) -> CompactID {
    var hi = splitmix(n &+ seed0)
    var lo = splitmix(n ^ seed1)
    hi = (hi & ~0xf000) | 0x4000
    lo = (lo & ~(0xc << 60)) | (0x8 << 60)
    return .uuid(hi, lo)
}

func splitmix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9e37_79b9_7f4a_7c15
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from 128 bits, written straight into the string's storage
/// (request ids call it once per request).
public func uuidText(_ hi: UInt64, _ lo: UInt64) -> String {
    String(unsafeUninitializedCapacity: 36) { out in
        writeUUID(hi, lo, into: out.baseAddress!)
        return 36
    }
}

/// The 36 characters of `uuidText` into `out` (room for 36): documents and messages write ids in place.
/// Eight digits at a time (`hexDigits8`): every response writes its request id, and a packed org document
/// unpacks its UUIDs (a digit at a time was ~270 instructions a UUID).
@inlinable
public func writeUUID(_ hi: UInt64, _ lo: UInt64, into out: UnsafeMutablePointer<UInt8>) {
    let raw = UnsafeMutableRawPointer(out)
    let a = hexDigits8(UInt32(truncatingIfNeeded: hi >> 32)), b = hexDigits8(UInt32(truncatingIfNeeded: hi))
    let c = hexDigits8(UInt32(truncatingIfNeeded: lo >> 32)), d = hexDigits8(UInt32(truncatingIfNeeded: lo))
    raw.storeBytes(of: a.littleEndian, as: UInt64.self)
    raw.storeBytes(of: UInt32(truncatingIfNeeded: b).littleEndian, toByteOffset: 9, as: UInt32.self)
    raw.storeBytes(of: UInt32(truncatingIfNeeded: b >> 32).littleEndian, toByteOffset: 14, as: UInt32.self)
    raw.storeBytes(of: UInt32(truncatingIfNeeded: c).littleEndian, toByteOffset: 19, as: UInt32.self)
    raw.storeBytes(of: UInt32(truncatingIfNeeded: c >> 32).littleEndian, toByteOffset: 24, as: UInt32.self)
    raw.storeBytes(of: d.littleEndian, toByteOffset: 28, as: UInt64.self)
    (out[8], out[13], out[18], out[23]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: "-"))
}

/// `value` as eight lowercase hex digits, the most significant first, in the bytes of a word taken little
/// endian (the first digit in the lowest byte).
@inlinable
public func hexDigits8(_ value: UInt32) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    // One nibble a byte, the least significant in the lowest byte.
    var t = UInt64(value)
    t = (t | t << 16) & 0x0000_FFFF_0000_FFFF
    t = (t | t << 8) & 0x00FF_00FF_00FF_00FF
    t = (t | t << 4) & 0x0F0F_0F0F_0F0F_0F0F
    // '0' + n, and 39 more for a..f (n + 6 reaches 16 exactly when n is 10 or more; no byte carries).
    let letters = ((t &+ 6 &* ones) >> 4) & ones
    return (t &+ 0x30 &* ones &+ letters &* 39).byteSwapped
}

/// Stable ids for fixture entities that name no id: the same name gives the same UUID on every start.
public enum StableID {
    /// The parts are hashed as if joined with `/` (without building the joined text: fixtures make 100,000s).
    public static func uuid(_ parts: String...) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x8422_2325_cbf2_9ce4
        func mix(_ byte: UInt8) {
            h1 = (h1 ^ UInt64(byte)) &* 0x100_0000_01b3
            h2 = (h2 ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 0x9e37_79b9
        }
        for (i, part) in parts.enumerated() {
            if i > 0 { mix(UInt8(ascii: "/")) }
            for byte in part.utf8 { mix(byte) }
        }
        // Version 8 (custom) and the RFC 4122 variant bits.
        h1 = (h1 & ~0xf000) | 0x8000
        h2 = (h2 & ~(0xc << 60)) | (0x8 << 60)
        return uuidText(h1, h2)
    }
}
