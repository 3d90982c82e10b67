import Foundation
import Synchronization
import Testing
@testable import VCDHTTP
@testable import VCDMock

/// `GET /api/org/{id}` when the render cache packs every document, as it does past its first MiB (at
/// 10,000 orgs): each answer is unpacked into an array of `BodyPool.shared` that comes back once sent.
@Suite(.serialized) struct PackedOrgsTests {
    /// Orgs of different lengths in turn, on several connections at once: every answer is the document the
    /// first GET rendered, byte for byte (a shorter one after a longer one in the same array keeps none of
    /// its tail), and the arrays go back to the pool.
    @Test func everyAnswerIsTheRenderedDocument() throws {
        var config = AppConfig()
        config.renderCachePlainBytes = 0
        let server = try TestServer(config: config)
        let admin = try server.sysadmin()
        let ids = try admin.send("GET", "/api/org").xml().children("Org").compactMap { $0["href"]?.split(separator: "/").last.map(String.init) }
        #expect(ids.count == 3)
        // The first GET of each renders (and is not pooled); later ones are packed hits.
        var rendered: [String: [UInt8]] = [:]
        for id in ids {
            let first = try admin.send("GET", "/api/org/\(id)")
            #expect(first.status == 200)
            rendered[id] = first.body
        }
        let token = try #require(admin.token), expected = rendered
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            let client = server.client()
            client.token = token
            for round in 0..<150 {
                let id = ids[(round + worker) % ids.count]
                guard let answer = try? client.send("GET", "/api/org/\(id)"), answer.status == 200, answer.body == expected[id] else {
                    mismatches.withLock { $0 += 1 }
                    continue
                }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
        // MHD frees a response when the next request on its connection starts: by now most are back.
        let deadline = Date().addingTimeInterval(5)
        while BodyPool.shared.count == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(BodyPool.shared.count > 0, "no sent body came back to the pool")
    }
}
