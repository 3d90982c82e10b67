import Dispatch
import Synchronization
import Testing
import VCDCore

/// `--seed` and `--clock`: the same seed gives the same ids; the clock stops, moves and goes back to real time.
@Suite struct DeterminismTests {
    @Test func sameSeedGivesTheSameIdsAndTokens() {
        let a = SeededIDs(seed: 42), b = SeededIDs(seed: 42)
        for _ in 0..<100 {
            #expect(a.uuid() == b.uuid())
            #expect(a.token() == b.token())
        }
    }

    @Test func uuidsAndTokensAreIndependentStreams() {
        let a = SeededIDs(seed: 7), b = SeededIDs(seed: 7)
        _ = (0..<5).map { _ in a.token() }
        #expect(a.uuid() == b.uuid(), "tokens do not shift the uuid sequence")
    }

    @Test func differentSeedsDiffer() {
        let a = SeededIDs(seed: 42), b = SeededIDs(seed: 43)
        #expect(a.uuid() != b.uuid())
        #expect(a.token() != b.token())
    }

    @Test func uuidsAreV4ShapedAndDistinct() {
        let ids = SeededIDs(seed: 0)
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = ids.uuid()
            #expect(id.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil, "\(id)")
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    @Test func tokensAre64HexDigitsAndDistinct() {
        let ids = SeededIDs(seed: 99)
        let tokens = (0..<1000).map { _ in ids.token() }
        #expect(Set(tokens).count == 1000)
        #expect(tokens.allSatisfy { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
    }

    @Test func concurrentCallersGetDistinctIds() {
        let ids = SeededIDs(seed: 5)
        let out = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let mine = (0..<1000).map { _ in ids.uuid() }
            out.withLock { $0 += mine }
        }
        let all = out.withLock { $0 }
        #expect(Set(all).count == 8000)
        let sequential = SeededIDs(seed: 5)
        #expect(Set(all) == Set((0..<8000).map { _ in sequential.uuid() }), "the same ids, in some order")
    }

    struct Fake: TimeSource {
        let ms: Int64
        func now() -> Timestamp { Timestamp(milliseconds: ms) }
    }

    @Test func fixedClockStaysPutUntilMoved() throws {
        let start = try #require(Timestamp(iso8601: "2024-05-01T10:00:00.000Z"))
        let clock = ControlledClock(fixed: start, system: Fake(ms: 1_000_000))
        #expect(clock.mode == .fixed)
        #expect(clock.now() == start)
        #expect(clock.now() == start)
        clock.advance(milliseconds: 5000)
        #expect(clock.now().iso8601 == "2024-05-01T10:00:05.000Z")
        clock.advance(milliseconds: -10_000)
        #expect(clock.now().iso8601 == "2024-05-01T09:59:55.000Z")
        clock.set(try #require(Timestamp(iso8601: "2030-01-01T00:00:00Z")))
        #expect(clock.now().iso8601 == "2030-01-01T00:00:00.000Z")
        clock.release()
        #expect(clock.mode == .real)
        #expect(clock.now().milliseconds == 1_000_000)
    }

    @Test func realClockFollowsTheSystemAndCanRunAhead() {
        let clock = ControlledClock(system: Fake(ms: 42))
        #expect(clock.mode == .real)
        #expect(clock.now().milliseconds == 42)
        clock.advance(milliseconds: 1000)
        #expect(clock.mode == .real)
        #expect(clock.now().milliseconds == 1042)
        clock.release()
        #expect(clock.now().milliseconds == 42)
        let system = ControlledClock()
        let before = SystemClock().now()
        #expect(system.now() >= before)
    }

    @Test func concurrentAdvancesAreNotLost() {
        let clock = ControlledClock(fixed: Timestamp(milliseconds: 0))
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1000 { clock.advance(milliseconds: 1) }
        }
        #expect(clock.now().milliseconds == 8000)
    }

    @Test(arguments: [("PT5S", 5000), ("PT1.5S", 1500), ("PT0,25S", 250), ("P1DT2H", 93_600_000), ("PT10M", 600_000),
                      ("-PT1S", -1000), ("P1W", 604_800_000), ("pt1h30m", 5_400_000)] as [(String, Int64)])
    func durationsParse(_ text: String, _ ms: Int64) {
        #expect(ControlledClock.milliseconds(iso8601Duration: text) == ms)
    }

    @Test(arguments: ["", "P", "PT", "5S", "P5S", "PT5D", "PT5", "P1M", "PT1S2M", "PTS", "PT1.2.3S", "P1Y"])
    func badDurationsAreRejected(_ text: String) {
        #expect(ControlledClock.milliseconds(iso8601Duration: text) == nil, "\(text)")
    }
}
