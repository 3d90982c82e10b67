import Dispatch
import Foundation
import Logging
import VCDCore
import VCDFixtures
import VCDHTTP
import VCDMock

// The request pipeline without sockets: what one GET /api/org/26 and one POST /api/tasksList/26 cost inside
// vcd-mock (routing, session, negotiation, handler, render, journal, log), as the minimum over rounds, so
// a busy machine disturbs it less than a wrk run. Usage: vcd-mock-bench [FIXTURES] [REQUESTS_PER_ROUND] [ROUNDS].
let arguments = CommandLine.arguments
let fixtures = arguments.count > 1 ? arguments[1] : "Fixtures/default"
let perRound = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 41 : 41
/// "get", "post" or both (the default): one kind alone is easier to profile. "post-notify" is the POST
/// with notifications on: every event becomes two messages in the outbox (message bodies, journal,
/// hand-off), whose broker (127.0.0.1:1) never answers, so only the request path is measured; the bodies
/// are made later, by the publisher thread. "post-notify-made" also makes every message's routing key,
/// headers and body, as the publisher does when it sends them: what a notification costs in all. "lists" is
/// the OrgList of FIXTURES and a TasksList of `VCD_MOCK_BENCH_LIST_TASKS` (10,000) tasks (Lists.swift).
/// "get-random" is GET of a random org of FIXTURES, each request another.
let only = arguments.count > 4 ? arguments[4] : ""

func fail(_ message: String) -> Never {
    print("vcd-mock-bench: \(message)")
    exit(1)
}

let loaded: Fixtures
do {
    loaded = try FixtureLoader.load(directory: fixtures, now: SystemClock().now())
} catch {
    fail("cannot load \(fixtures): \(error)")
}
// VCD_MOCK_BENCH_LOG=info: the request log as `serve` writes it by default (into /dev/null here).
let logLevel = ProcessInfo.processInfo.environment["VCD_MOCK_BENCH_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
let devNull = open("/dev/null", O_WRONLY)
let logs = LogWriter(fd: devNull)
let logger = Logger(label: "vcd-mock") { label in BatchedLogHandler(label: label, level: logLevel, writer: logs) }
let notifying = only.hasPrefix("post-notify")
let notifier: Notifier? = notifying ? {
    var settings = AMQPSettings()
    settings.port = 1
    return Notifier(settings: settings, configured: true, enabled: true, outboxCapacity: 50_000_000,
                    base: "http://127.0.0.1:8080", messageJournalSize: only == "post-notify-made" ? 50_000_000 : 10_000)
}() : nil
let store = Store(orgs: loaded.orgs, tasks: loaded.tasks, services: loaded.services, sink: notifier)
let app = App(store: store, notifier: notifier, logger: logger, requestLog: logs)

let accept = HTTPHeader("Accept", "application/*+xml;version=5.5")
let host = HTTPHeader("Host", "127.0.0.1:8080")
let login = app.handle(HTTPRequest(method: "POST", path: "/api/sessions",
                                   headers: [host, accept, HTTPHeader("Authorization", "Basic YWRtaW5pc3RyYXRvckBTeXN0ZW06dm13YXJl")],
                                   remoteAddress: "127.0.0.1"))
guard let token = login.headers.first(where: { $0.name.lowercased() == "x-vcloud-authorization" })?.value else {
    fail("login answered \(login.status) without a token")
}
let auth = HTTPHeader("x-vcloud-authorization", token)
let taskBody = Array(#"<Task xmlns="http://www.vmware.com/vcloud/v1.5" name="task" status="running" serviceNamespace="org.example.vcd.backup" operation="bench"/>"#.utf8)

/// Runs `request` count times per round; prints the fastest round's nanoseconds per request.
func measure(_ name: String, expect status: Int, count: Int = perRound, _ request: HTTPRequest) {
    measure(name, expect: status, each: Array(repeating: request, count: count))
}

/// Each round goes through `requests` in turn; prints the fastest round's nanoseconds per request.
func measure(_ name: String, expect status: Int, each requests: [HTTPRequest]) {
    var best = UInt64.max
    for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for request in requests {
            let response = app.handle(request)
            if response.status != status { fail("\(name) answered \(response.status), expected \(status)") }
        }
        best = min(best, (DispatchTime.now().uptimeNanoseconds - start) / UInt64(max(1, requests.count)))
    }
    print("\(name): \(best) ns/request (best of \(rounds) rounds of \(requests.count))")
}

if only == "get-random" {
    // GET of a random org of FIXTURES (a fixed sequence), every org fetched once first: the render cache's
    // hits when the orgs do not fit in a core's cache (scripts/bench-scale's random-org row, without sockets).
    let get = { (id: String) in HTTPRequest(method: "GET", path: "/api/org/\(id)", headers: [host, accept, auth], remoteAddress: "127.0.0.1") }
    var seed: UInt64 = 1
    let ids = loaded.orgs.map(\.id)
    let requests = (0..<perRound).map { _ in
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return get(ids[Int(seed >> 33) % ids.count])
    }
    for id in ids { _ = app.handle(get(id)) }
    measure("GET a random one of \(ids.count) orgs", expect: 200, each: requests)
    exit(0)
}
if only == "lists" {
    let tasks = ProcessInfo.processInfo.environment["VCD_MOCK_BENCH_LIST_TASKS"].flatMap { Int($0) } ?? 10_000
    if !measureLists(app: app, headers: [host, accept, auth], tasks: tasks, rounds: rounds, perRound: perRound) { exit(1) }
    exit(0)
}
if only != "post" && only != "post-notify-made" {
    measure("GET /api/org/26", expect: 200,
            HTTPRequest(method: "GET", path: "/api/org/26", headers: [host, accept, auth], remoteAddress: "127.0.0.1"))
}
// Every POST stores a task: fewer of them keep the store small.
if only != "get" {
    measure(notifier == nil ? "POST /api/tasksList/26" : "POST /api/tasksList/26 (notifications on)", expect: 200, count: perRound / 10,
            HTTPRequest(method: "POST", path: "/api/tasksList/26",
                        headers: [host, accept, auth, HTTPHeader("Content-Type", "application/vnd.vmware.vcloud.task+xml")],
                        body: taskBody, remoteAddress: "127.0.0.1"))
}
if only == "post-notify-made", let notifier {
    var bytes = 0
    for entry in notifier.messages.snapshot().entries { bytes += entry.message.made().body.count }
    print("made \(notifier.messages.snapshot().entries.count) messages, \(bytes) body bytes")
}
