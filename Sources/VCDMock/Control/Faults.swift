import Foundation
import Synchronization
import VCDCore

/// What a fault rule does to a request it matches.
enum FaultEffect: Sendable, Equatable {
    /// A vCD Error body with this status instead of the normal answer.
    case status(Int, minorErrorCode: String, message: String)
    /// The normal answer, this many milliseconds late (no worker thread is held meanwhile).
    case latency(Int)
    /// The connection is closed without a response.
    case drop
    /// The next AMQP publish is treated as nacked (counted as nacked and retried).
    case amqpNack
    /// The publisher's broker connection is dropped once; it reconnects and sends unconfirmed messages again.
    case amqpDropConnection
}

/// One rule of `/mock/faults`: a match on method, whole path and org, an effect, a probability and a cap.
struct FaultRule: Sendable {
    let id: String
    let method: String?
    let pathPattern: URLPattern?
    /// Lowercased id and/or name of the org (as given, plus the other one when the org is known).
    let orgKeys: Set<String>
    let org: String?
    let effect: FaultEffect
    let probability: Double
    let maxCount: Int?
    var hits = 0

    var exhausted: Bool { maxCount.map { hits >= $0 } ?? false }

    /// True when method, path and org fit; `orgs` gives the caller's and the path's org ids and names (lowercased).
    func matches(method m: String, path: String, orgs: () -> Set<String>) -> Bool {
        if let method, method != m.uppercased() { return false }
        if let pathPattern, !pathPattern.matches(path) { return false }
        if !orgKeys.isEmpty, orgKeys.isDisjoint(with: orgs()) { return false }
        return true
    }
}

/// A rule as sent to `POST /mock/faults`, checked field by field with messages a person can act on.
/// Flat (`{"pathPattern": "...", "status": 503}`) or grouped (`{"match": {...}, "effect": {...}}`).
struct FaultRuleSpec {
    struct Invalid: Error { let message: String }

    static let usage = "send e.g. {\"method\": \"GET\", \"pathPattern\": \"/api/org/.*\", \"org\": \"acme\", \"status\": 503, "
        + "\"probability\": 1, \"maxCount\": 2}; effects: status (+ minorErrorCode, message), latencyMs, drop: true, "
        + "amqp: \"nack\" | \"dropConnection\""

    static let keys: Set<String> = ["method", "pathPattern", "org", "status", "minorErrorCode", "message", "latencyMs",
                                    "drop", "amqp", "probability", "maxCount"]

    /// Parses the JSON body; `resolveOrg` maps an org id or name to (id, name) when the org exists.
    static func parse(_ body: [UInt8], id: String, resolveOrg: (String) -> (id: String, name: String)?) throws(Invalid) -> FaultRule {
        guard var fields = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body)) else {
            throw Invalid(message: "the body is not a JSON object; " + usage)
        }
        for group in ["match", "effect"] {
            guard let value = fields.removeValue(forKey: group) else { continue }
            guard let inner = value.object else { throw Invalid(message: "\(group) must be a JSON object") }
            for (k, v) in inner {
                guard fields[k] == nil else { throw Invalid(message: "\(k) is given twice") }
                fields[k] = v
            }
        }
        if let unknown = fields.keys.filter({ !keys.contains($0) }).sorted().first {
            throw Invalid(message: "unknown field \(unknown); known fields: \(keys.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws(Invalid) -> String? {
            guard let v = fields[key], v != .null else { return nil }
            guard let s = v.string, !s.isEmpty else { throw Invalid(message: "\(key) must be a non-empty string") }
            return s
        }
        func number(_ key: String) throws(Invalid) -> Double? {
            guard let v = fields[key], v != .null else { return nil }
            guard let n = v.number else { throw Invalid(message: "\(key) must be a number") }
            return n
        }
        func whole(_ key: String, _ range: ClosedRange<Int>) throws(Invalid) -> Int? {
            guard let d = try number(key) else { return nil }
            guard d.rounded() == d, d >= Double(range.lowerBound), d <= Double(range.upperBound) else {
                throw Invalid(message: "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(d)
        }

        let method = try string("method")?.uppercased()
        var pattern: URLPattern?
        if let text = try string("pathPattern") {
            do { pattern = try URLPattern(text) } catch {
                throw Invalid(message: "pathPattern \"\(text)\" is not a valid regular expression")
            }
            if text.hasPrefix("/mock") { throw Invalid(message: "faults never apply to /mock/*; pick another pathPattern") }
        }
        let org = try string("org")
        var orgKeys: Set<String> = []
        if let org {
            orgKeys.insert(org.lowercased())
            if let known = resolveOrg(org) { orgKeys.insert(known.id.lowercased()); orgKeys.insert(known.name.lowercased()) }
        }

        var effects: [FaultEffect] = []
        if let status = try whole("status", 400...599) {
            let minor = try string("minorErrorCode") ?? Self.defaultMinor(status)
            let message = try string("message") ?? "Injected fault: \(status) from a /mock/faults rule."
            effects.append(.status(status, minorErrorCode: minor, message: message))
        } else if fields["minorErrorCode"] != nil || fields["message"] != nil {
            throw Invalid(message: "minorErrorCode and message go with status")
        }
        if let ms = try whole("latencyMs", 0...600_000) { effects.append(.latency(ms)) }
        if let drop = fields["drop"] {
            guard drop.bool == true else { throw Invalid(message: "drop must be true") }
            effects.append(.drop)
        }
        if let amqp = try string("amqp") {
            switch amqp {
            case "nack": effects.append(.amqpNack)
            case "dropConnection": effects.append(.amqpDropConnection)
            default: throw Invalid(message: "amqp must be \"nack\" or \"dropConnection\", not \"\(amqp)\"")
            }
        }
        guard effects.count == 1, let effect = effects.first else {
            throw Invalid(message: effects.isEmpty ? "no effect given; " + usage
                          : "give exactly one effect (status, latencyMs, drop or amqp), not \(effects.count)")
        }
        let probability = try number("probability") ?? 1
        guard (0...1).contains(probability) else { throw Invalid(message: "probability must be from 0 to 1") }
        let maxCount = try whole("maxCount", 0...Int(Int32.max))
        return FaultRule(id: id, method: method, pathPattern: pattern, orgKeys: orgKeys, org: org, effect: effect,
                         probability: probability, maxCount: maxCount)
    }

    static func defaultMinor(_ status: Int) -> String {
        switch status {
        case 400: "BAD_REQUEST"
        case 401: "UNAUTHORIZED"
        case 403: "ACCESS_TO_RESOURCE_IS_FORBIDDEN"
        case 404: "RESOURCE_NOT_FOUND"
        case 409: "CONFLICT"
        case 429: "TOO_MANY_REQUESTS"
        case 503: "SERVICE_UNAVAILABLE"
        case 504: "GATEWAY_TIMEOUT"
        default: status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST"
        }
    }
}

/// The rules of `/mock/faults`, in the order they were added; the first that matches (and passes its
/// probability and cap) applies. With no rules, `decide` is one atomic load.
final class Faults: Sendable {
    private let rules = Mutex<[FaultRule]>([])
    private let count = Atomic<Int>(0)
    private let nextID = Atomic<Int>(0)
    /// Draws a number in 0..<1 for probabilities (replaceable in tests).
    private let draw: @Sendable () -> Double

    init(draw: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) { self.draw = draw }

    var isEmpty: Bool { count.load(ordering: .relaxed) == 0 }

    /// Parses and adds a rule; returns it.
    func add(_ body: [UInt8], resolveOrg: (String) -> (id: String, name: String)?) throws(FaultRuleSpec.Invalid) -> FaultRule {
        let id = "fault-\(nextID.add(1, ordering: .relaxed).newValue)"
        let rule = try FaultRuleSpec.parse(body, id: id, resolveOrg: resolveOrg)
        add(rule)
        return rule
    }

    func add(_ rule: FaultRule) {
        rules.withLock { r in
            r.append(rule)
            count.store(r.count, ordering: .relaxed)
        }
    }

    var all: [FaultRule] { rules.withLock { $0 } }

    func removeAll() {
        rules.withLock { r in
            r.removeAll()
            count.store(0, ordering: .relaxed)
        }
    }

    /// False when no rule has this id.
    func remove(id: String) -> Bool {
        rules.withLock { r in
            guard let i = r.firstIndex(where: { $0.id == id }) else { return false }
            r.remove(at: i)
            count.store(r.count, ordering: .relaxed)
            return true
        }
    }

    /// The effect for this request, counting the hit, or nil. `/mock/*` is never affected.
    /// `orgs` is asked only when a candidate rule names an org.
    func decide(method: String, path: String, orgs: () -> Set<String>) -> FaultEffect? {
        if isEmpty || path == "/mock" || path.hasPrefix("/mock/") { return nil }
        return withoutActuallyEscaping(orgs) { orgs in
            var cachedOrgs: Set<String>?
            let lazyOrgs = { () -> Set<String> in
                if let cachedOrgs { return cachedOrgs }
                let o = orgs()
                cachedOrgs = o
                return o
            }
            return rules.withLock { r -> FaultEffect? in
                for i in r.indices where !r[i].exhausted && r[i].matches(method: method, path: path, orgs: lazyOrgs) {
                    if r[i].probability < 1 && !(draw() < r[i].probability) { continue }
                    r[i].hits += 1
                    return r[i].effect
                }
                return nil
            }
        }
    }

    /// Org ids and names a path names: the segment after `org` or `tasksList` (lowercased).
    static func orgsInPath(_ path: String) -> Set<String> {
        let parts = path.split(separator: "/")
        var out: Set<String> = []
        for (i, p) in parts.enumerated() where (p == "org" || p == "tasksList") && i + 1 < parts.count {
            out.insert(parts[i + 1].lowercased())
        }
        return out
    }
}

/// A rule as `GET /mock/faults` lists it.
struct FaultView: Encodable {
    let id: String
    let method: String?
    let pathPattern: String?
    let org: String?
    let status: Int?
    let minorErrorCode: String?
    let message: String?
    let latencyMs: Int?
    let drop: Bool?
    let amqp: String?
    let probability: Double
    let maxCount: Int?
    let hits: Int

    init(_ r: FaultRule) {
        id = r.id
        method = r.method
        pathPattern = r.pathPattern?.pattern
        org = r.org
        var status: Int?, minor: String?, message: String?, latency: Int?, drop: Bool?, amqp: String?
        switch r.effect {
        case .status(let s, let m, let text): status = s; minor = m; message = text
        case .latency(let ms): latency = ms
        case .drop: drop = true
        case .amqpNack: amqp = "nack"
        case .amqpDropConnection: amqp = "dropConnection"
        }
        self.status = status
        minorErrorCode = minor
        self.message = message
        latencyMs = latency
        self.drop = drop
        self.amqp = amqp
        probability = r.probability
        maxCount = r.maxCount
        hits = r.hits
    }
}

struct FaultsView: Encodable {
    let faults: [FaultView]
}
