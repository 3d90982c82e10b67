import Foundation
import Synchronization
import Testing
import VCDXML

@Suite struct ConcurrencyTests {
    /// 50 clients on their own connections post 100 tasks each: 5,000 distinct ids, all in the tasksList.
    @Test func fiftyClientsPostingHundredTasksEach() throws {
        let server = try TestServer()
        let token = try #require(try server.sysadmin().token)
        let ids = Mutex<[String]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 50) { n in
            let client = server.client()
            client.token = token
            for i in 0..<100 {
                do {
                    let r = try client.send("POST", "/api/tasksList/26", xml: """
                        <Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" \
                        serviceNamespace="org.example.load" operation="client \(n) task \(i)"/>
                        """, contentType: MediaType.task)
                    guard r.status == 200, let id = try r.xml()["id"] else { throw TestFailure("\(r.status) \(r.text)") }
                    ids.withLock { $0.append(id) }
                } catch {
                    failures.withLock { $0.append("client \(n) task \(i): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(3) })")
        let all = ids.withLock { $0 }
        #expect(all.count == 5_000)
        #expect(Set(all).count == 5_000, "ids are distinct")
        let list = try server.sysadmin().send("GET", "/api/tasksList/26").xml()
        let listed = Set(list.children("Task").compactMap { $0["id"] })
        #expect(listed.isSuperset(of: all), "every created task is listed")
    }
}
