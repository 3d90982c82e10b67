import Dispatch
import Foundation
import VCDCore
import VCDHTTP
import VCDXML

/// `GET /mock/wait?...`: what to wait for. Exactly one of `event=<type>`, `message=<status>` or
/// `taskStatus=<status>` (with `task=`); `org=`, `task=`, `routingKey=`, `exchange=` narrow it down;
/// `timeout=` seconds (default 10, at most 60).
struct WaitQuery: Sendable {
    enum Kind: Sendable {
        case event(String)
        case message(MessageFilter)
        case taskStatus(TaskStatus)
    }

    let kind: Kind
    /// Lowercased org id or name.
    let org: String?
    let task: String?
    let timeout: Double

    static let defaultTimeout = 10.0
    static let maxTimeout = 60.0

    /// `urn:vcloud:task:ID`, an href ending in the id, or the id itself.
    static func bareID(_ text: String) -> String {
        if let colon = text.lastIndex(of: ":"), text.hasPrefix("urn:") { return String(text[text.index(after: colon)...]) }
        if let slash = text.lastIndex(of: "/") { return String(text[text.index(after: slash)...]) }
        return text
    }

    init(_ q: [String: String]) throws(APIError) {
        org = q["org"]?.lowercased()
        task = q["task"].map(Self.bareID)
        if let text = q["timeout"] {
            guard let t = Double(text), t >= 0, t <= Self.maxTimeout else {
                throw .badRequest("timeout=\(text) must be a number of seconds from 0 to \(Int(Self.maxTimeout)).")
            }
            timeout = t
        } else {
            timeout = Self.defaultTimeout
        }
        let given = ["event", "message", "taskStatus"].filter { q[$0] != nil }
        guard given.count == 1 else {
            throw .badRequest("Give exactly one of event=<type>, message=<status> or taskStatus=<status> (with task=<id>).")
        }
        if let type = q["event"] {
            guard !type.isEmpty else { throw .badRequest("event= needs an event type (e.g. task/complete, or * for any).") }
            kind = .event(type)
        } else if let status = q["message"] {
            kind = .message(try MessageFilter(q, status: status))
        } else {
            let text = q["taskStatus"] ?? ""
            guard let status = TaskStatus.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw .badRequest("taskStatus=\(text) is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            guard task != nil else { throw .badRequest("taskStatus= needs task=<id>.") }
            kind = .taskStatus(status)
        }
    }

    /// Whether an event's type matches: exact, the part after `com/vmware/vcloud/event/` (any suffix
    /// after a `/`), or a glob.
    static func typeMatches(_ pattern: String, _ type: String) -> Bool {
        if pattern.contains("*") || pattern.contains("?") { return Glob.matches(pattern, type, substring: false) }
        return type == pattern || type.hasSuffix("/" + pattern)
    }
}

/// What `/mock/wait` answers: the newest thing that matched.
struct WaitView: Encodable {
    struct TaskView: Encodable {
        let id, name, status, org: String
        let operationName: String?
    }

    let matched: String
    var event: EventView?
    var message: MessageView?
    var task: TaskView?
}

struct TimedOutView: Encodable {
    let timedOut: Bool
    let timeoutSeconds: Double
}

/// Waiting requests, each answered once its condition holds or its timeout passes. Checks run on one
/// serial queue: after recorded events, message status changes and non-GET requests (coalesced), and on a
/// 100 ms timer while anyone waits (task statuses that record no event). No worker thread is held.
final class WaitRegistry: EventSink, MessageObserver, Sendable {
    struct Waiter {
        let query: WaitQuery
        let respond: @Sendable (WaitView?) -> Void
    }

    struct State {
        var waiters: [Int: Waiter] = [:]
        var next = 0
        var pending = false
        var timer: DispatchSourceTimer?
    }

    let store: Store
    let messages: MessageJournal
    let queue = DispatchQueue(label: "vcd-mock-wait")
    let state = Locked(State())

    init(store: Store, messages: MessageJournal) {
        self.store = store
        self.messages = messages
    }

    var count: Int { state.withLock { $0.waiters.count } }

    /// The condition as it holds now, or nil.
    static func check(_ q: WaitQuery, store: Store, messages: MessageJournal) -> WaitView? {
        let orgID = q.org.flatMap { store.orgID(idOrName: $0) }
        if q.org != nil && orgID == nil { return nil }
        switch q.kind {
        case .event(let type):
            let orgs = store.allOrgs.filter { orgID == nil || $0.id == orgID }
            var best: Event?
            var bestOrg = ""
            for org in orgs {
                let hit = store.events(in: org.id).events.last { e in
                    guard typeMatches(e, type) else { return false }
                    guard let task = q.task else { return true }
                    if case .task(let id, _) = e.entity { return id == task }
                    return false
                }
                if let hit, best.map({ $0.timestamp < hit.timestamp }) ?? true {
                    best = hit
                    bestOrg = org.name
                }
            }
            guard let best else { return nil }
            return WaitView(matched: "event", event: EventView(best, orgName: bestOrg))
        case .message(let filter):
            var f = filter
            f.org = orgID?.lowercased() ?? filter.org
            guard let hit = messages.last(where: f.matches) else { return nil }
            return WaitView(matched: "message", message: MessageView(hit))
        case .taskStatus(let status):
            guard let id = q.task, let task = store.anyTask(id), task.status == status,
                  orgID == nil || task.orgID == orgID else { return nil }
            return WaitView(matched: "task", task: WaitView.TaskView(id: task.id, name: task.name, status: task.status.rawValue,
                                                                     org: task.orgID, operationName: task.operationName))
        }
    }

    static func typeMatches(_ e: Event, _ pattern: String) -> Bool { WaitQuery.typeMatches(pattern, e.type) }

    /// Registers a waiter; `respond` gets the match, or nil once the timeout passed.
    func add(_ query: WaitQuery, respond: @escaping @Sendable (WaitView?) -> Void) {
        let id: Int = state.withLock { s in
            let id = s.next
            s.next += 1
            s.waiters[id] = Waiter(query: query, respond: respond)
            if s.timer == nil {
                let timer = DispatchSource.makeTimerSource(queue: queue)
                timer.schedule(deadline: .now() + 0.1, repeating: 0.1)
                timer.setEventHandler { [weak self] in self?.checkAll() }
                timer.resume()
                s.timer = timer
            }
            return id
        }
        queue.asyncAfter(deadline: .now() + query.timeout) { [self] in
            if let w = state.withLock({ $0.waiters.removeValue(forKey: id) }) { w.respond(nil) }
            stopTimerIfIdle()
        }
        // It may have happened between the first check and the registration.
        poke()
    }

    /// Something changed: check every waiter soon (one pass at a time).
    func poke() {
        let schedule = state.withLock { s -> Bool in
            guard !s.waiters.isEmpty, !s.pending else { return false }
            s.pending = true
            return true
        }
        if schedule { queue.async { [self] in checkAll() } }
    }

    func recorded(_ events: [Event]) { poke() }

    func messagesChanged() { poke() }

    func checkAll() {
        let waiters = state.withLock { s in
            s.pending = false
            return s.waiters
        }
        for (id, w) in waiters {
            guard let view = Self.check(w.query, store: store, messages: messages) else { continue }
            if state.withLock({ $0.waiters.removeValue(forKey: id) }) != nil { w.respond(view) }
        }
        stopTimerIfIdle()
    }

    func stopTimerIfIdle() {
        let timer: DispatchSourceTimer? = state.withLock { s in
            guard s.waiters.isEmpty, let t = s.timer else { return nil }
            s.timer = nil
            return t
        }
        timer?.cancel()
    }
}

/// `GET /mock/wait`: answered now when the condition already holds or the query is wrong; otherwise later
/// (the connection is suspended, no worker thread waits): 200 with the match, or 408 on timeout.
enum ControlWait {
    static func wait(_ c: Context) throws(APIError) -> Outcome {
        let query = try WaitQuery(c.request.queryItems)
        if let view = WaitRegistry.check(query, store: c.store, messages: c.notifier.messages) {
            return .reply(try ControlStatus.json(view))
        }
        return .later(Later { deliver in
            c.app.waiters.add(query) { view in deliver(Self.answer(view, query)) }
        })
    }

    static func answer(_ view: WaitView?, _ query: WaitQuery) -> Outcome {
        do throws(APIError) {
            guard let view else {
                var reply = try ControlStatus.json(TimedOutView(timedOut: true, timeoutSeconds: query.timeout))
                reply.status = 408
                return .reply(reply)
            }
            return .reply(try ControlStatus.json(view))
        } catch {
            return .failure(error)
        }
    }
}
