import Dispatch
import VCDCore
import VCDHTTP
import VCDXML

/// `/mock/faults`: add, list (with hit counts) and remove fault rules. Errors are JSON `{"error": "..."}`.
enum ControlFaults {
    static func list(_ c: Context) throws(APIError) -> Reply {
        return try ControlStatus.json(FaultsView(faults: c.faults.all.map(FaultView.init)))
    }

    /// Body: one rule (see `FaultRuleSpec.usage`); answers 201 with the rule as listed.
    static func add(_ c: Context) throws(APIError) -> Reply {
        let store = c.store
        let rule: FaultRule
        do {
            rule = try c.faults.add(c.request.body) { key in
                let k = key.lowercased()
                return store.allOrgs.first { $0.id.lowercased() == k || $0.name.lowercased() == k }.map { ($0.id, $0.name) }
            }
        } catch {
            throw .badRequest(error.message)
        }
        var reply = try ControlStatus.json(FaultView(rule))
        reply.status = 201
        return reply
    }

    static func clear(_ c: Context) throws(APIError) -> Reply {
        c.faults.removeAll()
        return .noContent
    }

    static func delete(_ c: Context) throws(APIError) -> Reply {
        let id = c.param("id")
        guard c.faults.remove(id: id) else { throw .notFound("There is no fault rule \(id).") }
        return .noContent
    }
}

extension Step {
    /// Applies the first matching `/mock/faults` rule (`/mock/*` is never affected). A latency fault runs
    /// the rest of the pipeline later, so no worker thread waits.
    static let faults = Step(name: "faults") { app, ex throws(APIError) in
        if app.faults.isEmpty { return nil }
        let request = ex.request
        let effect = app.faults.decide(method: request.method, path: request.path) {
            var orgs = Faults.orgsInPath(request.path)
            if let p = try? app.authenticate(request) {
                orgs.insert(p.orgID.lowercased())
                orgs.insert(p.orgName.lowercased())
            }
            return orgs
        }
        guard let effect else { return nil }
        switch effect {
        case .status(let status, let minor, let message):
            throw APIError(status, minor, message)
        case .latency(let ms):
            let paused = ex
            let next = App.steps.firstIndex { $0.name == "faults" }.map { $0 + 1 } ?? 0
            return .later(Later(resuming: { deliver in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(ms)) {
                    var resumed = paused
                    let outcome = app.run(&resumed, from: next)
                    deliver(outcome, resumed)
                }
            }))
        case .drop:
            app.logger.info("\(request.method) \(request.path) dropped by a /mock/faults rule")
            return .drop
        case .amqpNack:
            app.notifier.publisher.injectNacks(1)
            return nil
        case .amqpDropConnection:
            app.notifier.publisher.dropConnection()
            return nil
        }
    }
}
