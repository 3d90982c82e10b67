import Dispatch
import Foundation
import Testing
import VCDCore
import VCDHTTP
@testable import VCDMock

/// `GET /mock/wait` (issue 5): long-polls answered later, holding no worker thread.
@Suite struct WaitTests {
    static func json(_ r: TestClient.Response) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any], "body: \(r.text)")
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Waits until `n` requests are parked in the wait registry (instead of sleeping and hoping).
    static func waiting(_ server: TestServer, _ n: Int) throws {
        try waitUntil("\(n) waiter(s) registered") { server.app.waiters.count == n }
    }

    @Test func aTaskPutToSuccessReleasesTheWaiter() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let created = try admin.postTask(taskXML())
        let href = try #require(try created.xml()["href"])
        let id = lastSegment(href)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var response: TestClient.Response?
        let waiter = server.client()
        Thread.detachNewThread {
            response = try? waiter.send("GET", "/mock/wait?taskStatus=success&task=\(id)&timeout=20")
            done.signal()
        }
        try Self.waiting(server, 1)
        #expect(done.wait(timeout: .now()) == .timedOut, "the waiter answered before the task finished")
        #expect(try admin.putTask(href, taskXML(#"name="task" status="success" serviceNamespace="org.example.vcd.backup""#)).status == 200)
        // Released by the PUT, well before its 20 s timeout.
        #expect(done.wait(timeout: .now() + 10) == .success)
        let r = try #require(response)
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/json")
        let body = try Self.json(r)
        #expect(body["matched"] as? String == "task")
        #expect((body["task"] as? [String: Any])?["status"] as? String == "success")
        // Already true: answered at once; the completion event is there too.
        let again = try server.client().send("GET", "/mock/wait?event=task/complete&task=\(id)&timeout=5")
        #expect(again.status == 200)
        #expect((try Self.json(again)["event"] as? [String: Any])?["type"] as? String == EventType.taskComplete)
    }

    @Test func aNonTerminalStatusWithoutAnEventIsSeenToo() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let created = try admin.postTask(taskXML(#"name="task" status="queued" serviceNamespace="org.example.vcd.backup""#))
        let href = try #require(try created.xml()["href"])
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status = 0
        let waiter = server.client()
        Thread.detachNewThread {
            status = (try? waiter.send("GET", "/mock/wait?taskStatus=running&task=\(lastSegment(href))&timeout=20"))?.status ?? 0
            done.signal()
        }
        try Self.waiting(server, 1)
        #expect(done.wait(timeout: .now()) == .timedOut, "answered while the task was still queued")
        #expect(try admin.putTask(href, taskXML()).status == 200)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(status == 200)
    }

    @Test func aTimeoutAnswers408InTime() throws {
        let server = try TestServer()
        let started = Self.now()
        let r = try server.client().send("GET", "/mock/wait?event=no/such/event&timeout=1")
        let took = Self.now() - started
        #expect(r.status == 408)
        #expect(try Self.json(r)["timedOut"] as? Bool == true)
        #expect(took >= 1 && took < 6, "took \(took) s: not before the timeout, and not much after")
        let journal = try Self.json(try server.client().send("GET", "/mock/requests?path=/mock/wait"))
        #expect((journal["requests"] as? [[String: Any]])?.first?["status"] as? Int == 408)
    }

    /// Two worker threads, ten parked waiters: /api/versions and the event that releases them are still
    /// served. Ordering, not timing: they are answered while every waiter is still pending.
    @Test func moreWaitersThanWorkerThreadsDoNotBlockTheServer() throws {
        let server = try TestServer(threads: 2)
        let count = 10
        let group = DispatchGroup()
        let statuses = Locked<[Int]>([])
        for _ in 0..<count {
            group.enter()
            let c = server.client()
            Thread.detachNewThread {
                let s = (try? c.send("GET", "/mock/wait?event=backupComplete&org=acme&timeout=30"))?.status ?? 0
                statuses.withLock { $0.append(s) }
                group.leave()
            }
        }
        try Self.waiting(server, count)
        let c = server.client()
        c.accept = nil
        #expect(try c.send("GET", "/api/versions").status == 200)
        #expect(statuses.withLock { $0 } == [], "a waiter answered early")
        let posted = try server.sysadmin().postEvent(eventXML())
        #expect((200..<300).contains(posted.status), "body: \(posted.text)")
        #expect(group.wait(timeout: .now() + 20) == .success)
        #expect(statuses.withLock { $0 } == Array(repeating: 200, count: count))
    }

    @Test func badQueriesAre400() throws {
        let server = try TestServer()
        let c = server.client()
        for q in ["", "event=a&message=confirmed", "taskStatus=success", "taskStatus=done&task=x", "event=x&timeout=61",
                  "message=lost"] {
            #expect(try c.send("GET", "/mock/wait?" + q).status == 400, "\(q)")
        }
        #expect(try c.send("POST", "/mock/wait?event=x").status == 405)
    }

    @Test func anEventPostedLaterReleasesAnOrgWaiter() throws {
        let server = try TestServer()
        let admin = try server.sysadmin()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var response: TestClient.Response?
        let waiter = server.client()
        Thread.detachNewThread {
            response = try? waiter.send("GET", "/mock/wait?event=backupComplete&org=acme&timeout=20")
            done.signal()
        }
        try Self.waiting(server, 1)
        #expect(done.wait(timeout: .now()) == .timedOut, "answered before the event")
        let posted = try admin.postEvent(eventXML())
        #expect((200..<300).contains(posted.status), "body: \(posted.text)")
        #expect(done.wait(timeout: .now() + 5) == .success)
        let r = try #require(response)
        #expect(r.status == 200, "body: \(r.text)")
        #expect((try Self.json(r)["event"] as? [String: Any])?["orgName"] as? String == "acme")
    }
}
