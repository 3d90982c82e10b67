import Dispatch
import VCDCore
import VCDHTTP
import VCDXML

/// `/mock/faults`: add, list (with hit counts) and remove fault rules. Errors are JSON `{"error": "..."}`.
enum ControlFaults {
    static func list(_ c: Context) throws(APIError) -> Reply {
        try ControlStatus.allowed(c)
        return try ControlStatus.json(FaultsView(faults: c.faults.all.map(FaultView.init)))
    }

    /// Body: one rule (see `FaultRuleSpec.usage`); answers 201 with the rule as listed.
    static func add(_ c: Context) throws(APIError) -> Reply {
        try ControlStatus.allowed(c)
        let store = c.store
        let rule: FaultRule
        do {
            rule = try c.faults.add(c.request.body) { key in
                let k = key.lowercased()
                return store.allOrgs.first { $0.id.lowercased() == k || $0.name.lowercased() == k }.map { ($0.id, $0.name) }
            }
        } catch {
            return ControlClock.failure(400, error.message)
        }
        var reply = try ControlStatus.json(FaultView(rule))
        reply.status = 201
        return reply
    }

    static func clear(_ c: Context) throws(APIError) -> Reply {
        try ControlStatus.allowed(c)
        c.faults.removeAll()
        return .noContent
    }

    static func delete(_ c: Context) throws(APIError) -> Reply {
        try ControlStatus.allowed(c)
        let id = c.param("id")
        guard c.faults.remove(id: id) else { return ControlClock.failure(404, "there is no fault rule \(id)") }
        return .noContent
    }
}

extension App {
    /// The faulty answer for this request, or nil when no rule applies (`/mock/*` never is affected).
    func fault(for request: HTTPRequest) -> HTTPAnswer? {
        let effect = faults.decide(method: request.method, path: request.path) {
            var orgs = Faults.orgsInPath(request.path)
            if let p = try? authenticate(request) {
                orgs.insert(p.orgID.lowercased())
                orgs.insert(p.orgName.lowercased())
            }
            return orgs
        }
        guard let effect else { return nil }
        switch effect {
        case .status(let status, let minor, let message):
            return .now(finish(.failure(APIError(status, minor, message)), request,
                               started: DispatchTime.now().uptimeNanoseconds))
        case .latency(let ms):
            return .later { respond in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(ms)) {
                    switch self.answerNormally(request) {
                    case .now(let response): respond(response)
                    case .later(let start): start(respond)
                    case .drop: respond(HTTPResponse(status: 500, body: []))
                    }
                }
            }
        case .drop:
            logger.info("\(request.method) \(request.path) dropped by a /mock/faults rule")
            return .drop
        case .amqpNack:
            notifier.publisher.injectNacks(1)
            return nil
        case .amqpDropConnection:
            notifier.publisher.dropConnection()
            return nil
        }
    }
}
