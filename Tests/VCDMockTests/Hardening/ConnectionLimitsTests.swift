import Foundation
import Testing
import VCDHTTP

/// Hostile connections with small limits (README "Limits and hardening"): the per-address and total
/// limits, eviction of connections that never send a request, and deadlines a trickle cannot extend.
@Suite struct ConnectionLimitsTests {
    static func server(maxConnections: Int = 64, perIP: Int = 64, headerTimeout: Int = 10,
                       holdMilliseconds: Int = 2000, maxHeld: Int? = nil) throws -> TestServer {
        try TestServer(http: HTTPServerConfig(connectionTimeoutSeconds: 30, maxConnections: maxConnections,
                                              maxConnectionsPerIP: perIP, headerTimeoutSeconds: headerTimeout,
                                              holdMilliseconds: holdMilliseconds, maxHeldConnections: maxHeld))
    }

    /// GET /api/versions from 127.0.0.1 on a new connection, and how long it took.
    static func versions(_ server: TestServer) throws -> (status: Int, seconds: Double) {
        let started = Date()
        let r = try server.client().send("GET", "/api/versions")
        return (r.status, Date().timeIntervalSince(started))
    }

    @Test func connectionsOverThePerAddressLimitAreClosedAtOnce() throws {
        let server = try Self.server(perIP: 4)
        let held = try (0..<4).map { _ in try RawConnection(port: server.server.port, from: "127.0.0.2") }
        try waitUntil("4 connections open", seconds: 5) { server.server.connectionStats.open == 4 }
        let fifth = try RawConnection(port: server.server.port, from: "127.0.0.2")
        #expect(fifth.readUntilClosed(within: 2) == [], "the fifth connection from one address is closed at once")
        // Other addresses are not affected.
        let answer = try Self.versions(server)
        #expect(answer.status == 200)
        #expect(held.count == 4)
    }

    @Test func aFullServerEvictsTheOldestConnectionThatSentNoRequest() throws {
        let server = try Self.server(maxConnections: 8)
        let idle = try (0..<8).map { i in try RawConnection(port: server.server.port, from: "127.0.0.\(10 + i)") }
        try waitUntil("8 connections open", seconds: 5) { server.server.connectionStats.open == 8 }
        let answer = try Self.versions(server)
        #expect(answer.status == 200)
        #expect(answer.seconds < 1, "a well-behaved client is served at once, took \(answer.seconds) s")
        #expect(server.server.connectionStats.evicted >= 1)
        #expect(idle[0].readUntilClosed(within: 2) == [], "the oldest idle connection made room")
    }

    @Test func aFullServerHoldsANewConnectionFromAnAddressAsHeavyAsTheVictimsForTwoSeconds() throws {
        let server = try Self.server(maxConnections: 8)
        // The oldest four (the first victims) from .3, then four from .2: the server is full.
        var idle = try (0..<4).map { _ in try RawConnection(port: server.server.port, from: "127.0.0.3") }
        idle += try (0..<4).map { _ in try RawConnection(port: server.server.port, from: "127.0.0.2") }
        try waitUntil("8 connections open", seconds: 5) { server.server.connectionStats.open == 8 }
        // A fifth from .2 would leave .2 with more than .3: it evicts nobody (else each hostile reconnect
        // evicts another hostile connection, which reconnects in turn) and gets 2 s for its request.
        let started = Date()
        let held = try RawConnection(port: server.server.port, from: "127.0.0.2")
        let served = try RawConnection(port: server.server.port, from: "127.0.0.2")
        served.send("GET /api/versions HTTP/1.1\r\nHost: x\r\nAccept: application/*+xml;version=5.5\r\nConnection: close\r\n\r\n")
        let answer = served.readUntilClosed(within: 5) ?? []
        #expect(String(decoding: answer.prefix(12), as: UTF8.self) == "HTTP/1.1 200", "a held client that sends its request is served")
        #expect(held.readUntilClosed(within: 5) == [], "a held client that sends nothing is closed")
        let heldFor = Date().timeIntervalSince(started)
        #expect(heldFor > 1.5 && heldFor < 4, "held \(heldFor) s; the hold is 2 s")
        #expect(server.server.connectionStats.held == 2)
        #expect(server.server.connectionStats.evicted == 0)
        #expect(idle[0].readUntilClosed(within: 0.2) == nil, "the oldest idle connection is still open")
        // A client whose address holds no connection still evicts at once.
        let versions = try Self.versions(server)
        #expect(versions.status == 200)
        #expect(versions.seconds < 1, "a well-behaved client is served at once, took \(versions.seconds) s")
        #expect(server.server.connectionStats.evicted == 1)
        #expect(idle[0].readUntilClosed(within: 2) == [], "the oldest idle connection made room")
    }

    /// A held connection that sends its request head in time leaves the reserve (--max-held-connections 1
    /// here, so the next newcomer can be held in its place), outlives the hold (--hold-time 500 ms), counts
    /// against the limit and, once idle and the oldest one waiting, is evicted like any other.
    @Test func aHeldConnectionThatSendsItsRequestBecomesAnOrdinaryOne() throws {
        let server = try Self.server(maxConnections: 8, holdMilliseconds: 500, maxHeld: 1)
        let request = "GET /api/versions HTTP/1.1\r\nHost: x\r\nAccept: application/*+xml;version=5.5\r\n\r\n"
        var others = try (0..<4).map { _ in try RawConnection(port: server.server.port, from: "127.0.0.3") }
        others += try (0..<4).map { _ in try RawConnection(port: server.server.port, from: "127.0.0.2") }
        try waitUntil("8 connections open", seconds: 5) { server.server.connectionStats.open == 8 }
        let kept = try RawConnection(port: server.server.port, from: "127.0.0.2")
        try waitUntil("the ninth connection held", seconds: 5) { server.server.connectionStats.holding == 1 }
        kept.send(request)
        #expect(kept.readResponse(within: 5)?.hasPrefix("HTTP/1.1 200") == true)
        #expect((try? waitUntil("not held", seconds: 2) { server.server.connectionStats.holding == 0 }) != nil,
                "the answered connection is still held")
        // Its place in the reserve is free: the next newcomer from .2 is held, for 500 ms.
        let started = Date()
        let next = try RawConnection(port: server.server.port, from: "127.0.0.2")
        #expect(next.readUntilClosed(within: 5) == [])
        let heldFor = Date().timeIntervalSince(started)
        #expect(heldFor > 0.3 && heldFor < 2.5, "held \(heldFor) s; the hold is 0.5 s")
        #expect(server.server.connectionStats.held == 2)
        // Past its own hold it is still open and served.
        kept.send(request)
        #expect(kept.readResponse(within: 5)?.hasPrefix("HTTP/1.1 200") == true)
        // With the others gone and seven newer idle connections from .4, it is the oldest one waiting: a
        // client from a fresh address (a full server) evicts it.
        for c in others { c.close() }
        try waitUntil("only the kept connection open", seconds: 5) { server.server.connectionStats.open == 1 }
        let newer = try (0..<7).map { _ in try RawConnection(port: server.server.port, from: "127.0.0.4") }
        try waitUntil("8 connections open", seconds: 5) { server.server.connectionStats.open == 8 }
        #expect(try Self.versions(server).status == 200)
        #expect(kept.readUntilClosed(within: 2) == [], "the once-held connection was evicted")
        #expect(newer[0].readUntilClosed(within: 0.2) == nil, "the newer idle connections stay")
        #expect(server.server.connectionStats.evicted == 1)
    }

    @Test func aTrickledRequestHeadIsCutAtTheHeaderDeadline() throws {
        let server = try Self.server(headerTimeout: 1)
        let slow = try RawConnection(port: server.server.port, from: "127.0.0.3")
        let started = Date()
        var open = true
        // One byte every 100 ms: MHD's idle timeout would restart on each; the head deadline does not.
        for byte in "GET /api/versions HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8 + Array(repeating: UInt8(ascii: "a"), count: 100) {
            open = slow.send([byte])
            if !open || Date().timeIntervalSince(started) > 5 { break }
            Thread.sleep(forTimeInterval: 0.1) // the trickle itself, not a wait for a condition
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(!open || slow.readUntilClosed(within: 1) != nil, "still open after \(elapsed) s")
        #expect(elapsed < 3, "closed after \(elapsed) s; the header timeout is 1 s")
        #expect(server.server.connectionStats.timedOut >= 1)
    }

    @Test(arguments: ["half-closed", "junk"])
    func halfClosedAndJunkConnectionsAreNotHeld(_ kind: String) throws {
        let server = try Self.server(headerTimeout: 1)
        let c = try RawConnection(port: server.server.port, from: "127.0.0.4")
        if kind == "junk" {
            c.send([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x80, 0xfe, 0x01])
        } else {
            c.send("GET /api/versions HTTP/1.1\r\nHost: x\r\nX-Partial")
            c.shutdownWrite()
        }
        let started = Date()
        #expect(c.readUntilClosed(within: 4) != nil, "a \(kind) connection is closed by the header deadline")
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(try Self.versions(server).status == 200)
    }
}
