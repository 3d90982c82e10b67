import Dispatch
import Glibc
import VCDHTTP
import VCDMock

/// The `lists` mode (issue 11 goal 6): `GET /api/org/` with every org of FIXTURES, and
/// `GET /api/tasksList/scalelist` after `POST /mock/fixtures` added one org holding `tasks` tasks (the
/// same YAML as scripts/bench-scale). Through `App.handle`, so routing, session and the store's snapshot
/// are counted with the render; sockets are not. Prints the fastest round and its MB/s (10^6 bytes), by the
/// clock and by this thread's CPU time (which a busy machine disturbs less: it does not count waiting).
func measureLists(app: App, headers: [HTTPHeader], tasks: Int, rounds: Int, perRound: Int) -> Bool {
    var yaml = "orgs:\n  - name: scalelist\n    id: scalelist\n    tasks:\n"
    for i in 1...max(1, tasks) {
        yaml += "      - name: job-\(i)\n        status: running\n        serviceNamespace: org.example.bench\n"
        yaml += "        operation: Backing up volume \(i)\n        startTime: 2024-05-01T10:00:00.000Z\n"
    }
    let added = app.handle(HTTPRequest(method: "POST", path: "/mock/fixtures", headers: headers, body: Array(yaml.utf8),
                                       remoteAddress: "127.0.0.1"))
    guard added.status == 201 else {
        print("vcd-mock-bench: POST /mock/fixtures answered \(added.status): \(String(decoding: added.body, as: UTF8.self))")
        return false
    }
    for (name, path) in [("OrgList", "/api/org/"), ("TasksList (\(tasks) tasks)", "/api/tasksList/scalelist")] {
        let request = HTTPRequest(method: "GET", path: path, headers: headers, remoteAddress: "127.0.0.1")
        var best = UInt64.max, bestCPU = UInt64.max
        var bytes = 0
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds, startCPU = threadCPUNanoseconds()
            for _ in 0..<perRound {
                let response = app.handle(request)
                guard response.status == 200 else {
                    print("vcd-mock-bench: GET \(path) answered \(response.status)")
                    return false
                }
                bytes = response.body.count
            }
            best = min(best, (DispatchTime.now().uptimeNanoseconds - start) / UInt64(perRound))
            bestCPU = min(bestCPU, (threadCPUNanoseconds() - startCPU) / UInt64(perRound))
        }
        let mbs = { (ns: UInt64) in Int(Double(bytes) / (Double(ns) / 1e9) / 1e6) }
        print("GET \(path) \(name), \(bytes) bytes: \(best) ns/request = \(mbs(best)) MB/s; CPU \(bestCPU) ns/request = "
              + "\(mbs(bestCPU)) MB/s (best of \(rounds) rounds of \(perRound))")
    }
    return true
}

func threadCPUNanoseconds() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
}
