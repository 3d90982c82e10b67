import Foundation
import Synchronization
import Testing
import VCDAMQP

/// Requests waiting for outbox room share one deadline timer: each is answered at its own deadline, in
/// order, however many wait, and is told whether there is room then.
@Suite struct RoomWaitTests {
    /// No broker: the one message stays, so the outbox of one is full for good.
    static func fullPublisher() -> Publisher {
        let p = Publisher(endpoint: nil, exchanges: [], capacity: 1)
        _ = p.enqueue([OutgoingMessage(messageID: "m", exchange: "x", routingKey: "k", contentType: "text/plain", body: [])])
        return p
    }

    @Test func everyWaiterIsAnsweredAtItsOwnDeadline() throws {
        let p = Self.fullPublisher()
        defer { p.stop() }
        #expect(!p.hasRoom)
        let started = Date()
        let answers = Mutex<[(Int, Bool, Double)]>([])
        for (n, timeout) in [0.3, 0.9, 1.5].enumerated() {
            let now = p.whenRoom(timeout: timeout) { room in
                answers.withLock { $0.append((n, room, Date().timeIntervalSince(started))) }
            }
            #expect(!now, "a full outbox makes waiter \(n) wait")
        }
        #expect(p.roomWaiting == 3)
        let deadline = Date().addingTimeInterval(10)
        while answers.withLock({ $0.count }) < 3 && Date() < deadline { usleep(10_000) }
        let got = answers.withLock { $0 }
        #expect(got.map(\.0) == [0, 1, 2], "answered in deadline order: \(got)")
        #expect(got.allSatisfy { !$0.1 }, "no room at any deadline: \(got)")
        // Not before its own deadline (all at the first one was the bug to avoid); how late depends on how
        // busy the machine is, so only the 10 s wait above bounds it.
        for ((_, _, at), timeout) in zip(got, [0.3, 0.9, 1.5]) {
            #expect(at >= timeout - 0.05, "answered after \(at) s, deadline \(timeout) s")
        }
        #expect(p.roomWaiting == 0)
    }
}
