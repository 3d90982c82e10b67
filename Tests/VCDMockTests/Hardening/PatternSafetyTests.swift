import Foundation
import Testing
import VCDCore
import VCDXML

/// Patterns cannot stall the server (issue 12): catastrophic fault and ApiFilter patterns are refused at
/// registration with a 400 naming them, safe ones still work, and fault rules are matched outside the lock.
@Suite struct PatternSafetyTests {
    static let catastrophic = ["/api/(a+)+b", "/api/(a*)*", "(.*)*x", "/api/((a+))+", "/api/(a|b+){2,}", "/api/(?:x+)*y",
                               // found by scripts/fuzz patterns: a bounded but large repeat of (.*)
                               "(.*){,894}4U\u{C5}4", "/api/(.*){2}x", "/api/(a+){2}",
                               // three unbounded repetitions in a row: 22 s on a 1 KiB path
                               "/api/.*.*.*x", "/api/.{0,5000}[^/]+.*x", "/api/[^/]*[^/]*[^/]*x"]
    static let safe = ["/api/.*", "/api/org/[^/]+/x", "/api/(ab)+", "/api/(a+)", "/api/[(a+)+]", #"/api/\(a+\)+"#,
                       "/api/(a{1,5})+", "/api/(foo|bar)/.*", "/api/org/.*/vdc/.*", "/api/(a+)?", #"/api/\p{L}+/x{2}"#,
                       #"/api/\Q(a+)+\E"#, "/api/[a-z&&[^b]]+",
                       // an extension's filter: each [^x]* stops at the literal after it, so only .* counts
                       #"/api/org/[^/]+/echo[^?]*(\?.*)?"#, "/api/org/[^/]+/vdc/[^/]+/vApp/[^/]+/.*"]

    @Test(arguments: catastrophic)
    func aCatastrophicFaultPatternIs400NamingIt(_ pattern: String) throws {
        let server = try TestServer()
        let body = try JSONSerialization.data(withJSONObject: ["pathPattern": pattern, "status": 503])
        let r = try server.client().send("POST", "/mock/faults", body: Array(body))
        // An accepted catastrophic pattern would hold the GET below for minutes: stop here instead.
        try #require(r.status == 400, "\(pattern) was accepted")
        let error = (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any]
        #expect((error?["error"] as? String)?.contains(pattern) == true, "\(r.text)")
        // The path that took 52 s before is answered at once.
        let started = Date()
        #expect(try server.client().send("GET", "/api/" + String(repeating: "a", count: 20)).status == 404)
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test(arguments: safe)
    func safeFaultPatternsAreAcceptedAndMatch(_ pattern: String) throws {
        let server = try TestServer()
        let body = try JSONSerialization.data(withJSONObject: ["pathPattern": pattern, "status": 503])
        #expect(try server.client().send("POST", "/mock/faults", body: Array(body)).status == 201)
    }

    @Test func aCatastrophicApiFilterIs400NamingIt() throws {
        let server = try TestServer()
        let r = try server.sysadmin().send("POST", "/api/admin/extension/service",
                                           xml: serviceXML(filters: ["/api/backup/(a+)+b"]), contentType: MediaType.service)
        let error = try expectVCDError(r, 400, "BAD_REQUEST")
        #expect(error["message"]?.contains("/api/backup/(a+)+b") == true)
    }

    @Test func aFaultWithACapIsCountedOnceUnderConcurrentRequests() throws {
        let server = try TestServer()
        let body = try JSONSerialization.data(withJSONObject: ["pathPattern": "/api/versions", "status": 503, "maxCount": 1])
        #expect(try server.client().send("POST", "/mock/faults", body: Array(body)).status == 201)
        let statuses = Mutex503Counter()
        DispatchQueue.concurrentPerform(iterations: 40) { _ in
            if let r = try? server.client().send("GET", "/api/versions") { statuses.add(r.status) }
        }
        #expect(statuses.count(503) == 1)
        #expect(statuses.count(200) == 39)
    }

    @Test func aPatternWithTwoUnboundedRepetitionsRunsOnlyOnShortPaths() throws {
        let pattern = try URLPattern("/api/.*.*x")
        #expect(pattern.maxInput == URLPattern.maxInputBytesForTwoRepetitions)
        #expect(pattern.matches("/api/" + String(repeating: "a", count: 200) + "x"))
        let started = Date()
        #expect(!pattern.matches("/api/" + String(repeating: "a", count: URLPattern.maxInputBytesForTwoRepetitions - 5)))
        #expect(!pattern.matches("/api/" + String(repeating: "a", count: URLPattern.maxInputBytes - 10)))
        #expect(Date().timeIntervalSince(started) < 0.5, "the worst case is a few ms at 256 bytes")
        #expect(try URLPattern("/api/.*").maxInput == URLPattern.maxInputBytes)
    }

    @Test func longPathsAreNotRunThroughPatterns() throws {
        let pattern = try URLPattern("/api/.*")
        #expect(pattern.matches("/api/" + String(repeating: "a", count: 100)))
        #expect(!pattern.matches("/api/" + String(repeating: "a", count: URLPattern.maxInputBytes)))
    }
}

/// Statuses seen by concurrent requests.
final class Mutex503Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    func add(_ status: Int) { lock.withLock { seen.append(status) } }
    func count(_ status: Int) -> Int { lock.withLock { seen.filter { $0 == status }.count } }
}
