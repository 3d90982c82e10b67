import Foundation
import Synchronization
import Testing
import VCDCore
import VCDMock
import VCDXML

/// `POST /mock/reset` and `POST /mock/orgs/{name}/reset`.
@Suite struct ResetTests: TaskTestSupport {
    func tasks(_ server: TestServer, _ orgID: String) -> [String] {
        server.app.store.snapshot().tasks.filter { $0.orgID == orgID }.map(\.id)
    }

    @Test func resetGoesBackToTheFixturesAndEndsSessions() throws {
        let server = try TestServer()
        let before = server.app.store.snapshot()
        let admin = try server.sysadmin()
        _ = try createTask(admin)
        let alice = try server.alice()
        server.app.notifier.setEnabled(true)
        #expect(server.app.store.counts()["events"] ?? 0 > 0)

        let c = server.client()
        c.accept = nil
        let r = try c.send("POST", "/mock/reset")
        #expect(r.status == 200, "\(r.text)")
        #expect(r.header("Content-Type") == "application/json")
        #expect(r.text.contains("\"reset\":\"all\""))
        #expect(server.app.store.snapshot() == before)
        #expect(server.app.store.counts()["sessions"] == 0)
        #expect(server.app.store.counts()["events"] == 0)
        #expect(server.app.notifier.enabled == false, "notification switch back to its start value")
        #expect(try alice.send("GET", "/api/org").status == 401)
        #expect(try server.alice().send("GET", "/api/org").status == 200, "fixture users log in again")
    }

    @Test func orgResetTouchesThatOrgOnly() throws {
        let server = try TestServer()
        let acme = "26", globex = try server.orgID("globex")
        let acmeFixture = tasks(server, acme), globexFixture = tasks(server, globex)
        let admin = try server.sysadmin()
        _ = try createTask(admin)
        _ = try admin.postTask(taskXML(), org: globex)
        let alice = try server.alice(), bob = try server.bob()
        let globexEvents = server.app.store.events(in: globex).events

        let c = server.client()
        let r = try c.send("POST", "/mock/orgs/ACME/reset")
        #expect(r.status == 200, "\(r.text)")
        #expect(r.text.contains("\"reset\":\"acme\""))
        #expect(tasks(server, acme) == acmeFixture)
        #expect(tasks(server, globex).count == globexFixture.count + 1)
        #expect(server.app.store.events(in: acme).events.isEmpty)
        #expect(server.app.store.events(in: globex).events == globexEvents)
        #expect(try alice.send("GET", "/api/org").status == 401, "sessions of acme's users end")
        #expect(try bob.send("GET", "/api/org").status == 200, "other orgs keep theirs")
        #expect(try admin.send("GET", "/api/org").status == 200, "the System admin keeps hers")
        #expect(try c.send("POST", "/mock/orgs/nowhere/reset").status == 404)
        #expect(try c.send("GET", "/mock/orgs/acme/reset").status == 405)
    }

    /// Suites owning globex keep working, unaffected, while acme is reset again and again. The resets run
    /// from before the first globex request until after the last (by construction, not by luck), on a pool
    /// wide enough (8 threads) that both really run at once on the server.
    @Test func orgResetLeavesOtherOrgsUntouchedUnderConcurrentRequests() throws {
        let server = try TestServer(threads: 8)
        let globex = try server.orgID("globex")
        let globexFixture = tasks(server, globex).count
        let workers = 4, perWorker = 25
        let failures = Locked<[String]>([])
        let resets = Atomic<Int>(0)
        let resetsAtStart = Locked<[Int]>([]), resetsAtEnd = Locked<[Int]>([])
        let workersDone = Atomic<Int>(0)
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            let c = server.client()
            // Keeps resetting until every worker is done (with a deadline), at least 20 times.
            let deadline = Date().addingTimeInterval(120)
            while workersDone.load(ordering: .acquiring) < workers || resets.load(ordering: .relaxed) < 20, Date() < deadline {
                let r = try? c.send("POST", "/mock/orgs/acme/reset")
                if r?.status != 200 { failures.withLock { $0.append("reset: \(r?.status ?? 0)") } }
                resets.add(1, ordering: .releasing)
                _ = try? server.alice().send("GET", "/api/org/26")
            }
            // One more after the last worker's last request.
            if (try? c.send("POST", "/mock/orgs/acme/reset"))?.status == 200 { resets.add(1, ordering: .releasing) }
            group.leave()
        }
        for w in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                defer { workersDone.add(1, ordering: .releasing); group.leave() }
                do {
                    try waitUntil("the first reset") { resets.load(ordering: .acquiring) > 0 }
                    resetsAtStart.withLock { $0.append(resets.load(ordering: .acquiring)) }
                    let admin = try server.sysadmin(), bob = try server.bob()
                    for i in 0..<perWorker {
                        let r = try admin.postTask(taskXML(), org: globex)
                        if r.status != 200 { failures.withLock { $0.append("create \(w)/\(i): \(r.status)") } }
                        let list = try bob.send("GET", "/api/tasksList/\(globex)")
                        if list.status != 200 { failures.withLock { $0.append("list \(w)/\(i): \(list.status)") } }
                        let org = try bob.send("GET", "/api/org/\(globex)")
                        if org.status != 200 { failures.withLock { $0.append("org \(w)/\(i): \(org.status)") } }
                    }
                    resetsAtEnd.withLock { $0.append(resets.load(ordering: .acquiring)) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 180) == .success)
        #expect(failures.withLock { $0 } == [])
        // Overlap: resets happened between each worker's first and last request.
        let total = resets.load(ordering: .acquiring)
        #expect(resetsAtStart.withLock { $0 }.allSatisfy { $0 >= 1 })
        #expect(resetsAtEnd.withLock { $0 }.allSatisfy { $0 < total }, "resets went on after the workers: \(total)")
        #expect(tasks(server, globex).count == globexFixture + workers * perWorker)
        #expect(server.app.store.events(in: globex).events.count >= workers * perWorker)
    }
}
