import Testing
@testable import VCDHTTP

/// The arrays response bodies are written into again once sent (the render cache's unpacked documents).
@Suite struct BodyPoolTests {
    /// `fill` writes `text` and reports its length.
    func made(_ pool: BodyPool, _ text: String, spare: Int = 0) -> [UInt8] {
        let bytes = Array(text.utf8)
        return pool.make(count: bytes.count, spare: spare) { out in
            _ = out.initialize(from: bytes)
            return bytes.count
        }
    }

    @Test func aBodyIsWhatFillWrote() {
        let pool = BodyPool()
        #expect(made(pool, "hello", spare: 16) == Array("hello".utf8))
        #expect(made(pool, "") == [])
    }

    /// The next body is written into the same storage; a shorter one keeps none of the longer one's tail,
    /// and a longer one grows it.
    @Test func aSentBodyIsWrittenAgain() {
        let pool = BodyPool()
        var places: [UnsafeMutablePointer<UInt8>?] = []
        func made(_ text: String) -> [UInt8] {
            let bytes = Array(text.utf8)
            return pool.make(count: bytes.count, spare: 16) { out in
                places.append(out.baseAddress)
                _ = out.initialize(from: bytes)
                return bytes.count
            }
        }
        pool.recycle(made(String(repeating: "a", count: 1_100)))
        #expect(pool.count == 1)
        let shorter = made("short")
        #expect(shorter == Array("short".utf8))
        #expect(places[1] == places[0], "written where the first body was")
        #expect(pool.count == 0)
        pool.recycle(shorter)
        let longer = String(repeating: "b", count: 1_900)
        #expect(made(longer) == Array(longer.utf8))
    }

    /// A body someone else still holds is copied before it is written, never changed under them.
    @Test func aBodyStillHeldIsNotOverwritten() {
        let pool = BodyPool()
        let body = made(pool, "kept by someone")
        let held = body
        pool.recycle(body)
        #expect(made(pool, "something else!") == Array("something else!".utf8))
        #expect(held == Array("kept by someone".utf8))
    }

    /// At most `limit` arrays, none larger than `largest`: what the pool holds is bounded.
    @Test func thePoolIsBounded() {
        let pool = BodyPool(limit: 4, largest: 4096)
        for _ in 0..<10 { pool.recycle([UInt8](repeating: 1, count: 100)) }
        #expect(pool.count == 4)
        let other = BodyPool(limit: 4, largest: 4096)
        other.recycle([UInt8](repeating: 1, count: 5000))
        #expect(other.count == 0)
        // A body larger than the pool keeps is made as a plain array.
        let big = String(repeating: "c", count: 5000)
        #expect(made(other, big) == Array(big.utf8))
    }
}
