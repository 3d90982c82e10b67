import VCDCore
import VCDFixtures

/// `POST /mock/reset`, `POST /mock/orgs/{name}/reset`, `GET/PUT /mock/state`, `POST /mock/fixtures`.
enum ControlState {
    /// Back to the loaded fixtures: orgs, users, tasks, services and filters; events and sessions cleared;
    /// AMQP and notification settings back to their start values.
    static func reset(_ c: Context) throws(APIError) -> Reply {
        c.store.reset()
        c.cache.removeAll()
        HeapTrim.now()  // what the runtime tasks, events and sessions held goes back to the system
        c.notifier.restoreStart()
        c.notifier.setOrgNames(c.store.allOrgs)
        return try ControlStatus.json(ResetView(reset: "all", counts: c.store.counts()))
    }

    /// One org back to its fixture (inventory, metadata, users, tasks, events); its users' sessions end.
    static func resetOrg(_ c: Context) throws(APIError) -> Reply {
        let name = c.param("name")
        let org = try domain { () throws(DomainError) in try c.store.resetOrg(named: name) }
        return try ControlStatus.json(ResetView(reset: org.name, counts: nil))
    }

    /// The whole state in the fixture format (YAML).
    static func get(_ c: Context) throws(APIError) -> Reply {
        let yaml = FixtureExporter.yaml(c.store.snapshot(), settings: c.notifier.fixtureSettings)
        return Reply(mediaType: "application/yaml", body: Array(yaml.utf8))
    }

    /// Replaces the whole state with a fixture-format body, validated in full first (400 with
    /// `file:line: problem`, state untouched). It becomes what `POST /mock/reset` goes back to.
    static func put(_ c: Context) throws(APIError) -> Reply {
        let loaded = try parse(c, requireSystem: true)
        c.store.replace(with: loaded.snapshot)
        if let settings = loaded.settings { c.notifier.apply(settings) }
        c.notifier.setOrgNames(loaded.orgs)
        return try ControlStatus.json(ResetView(reset: "replaced", counts: c.store.counts()))
    }

    /// Adds fixture orgs (and services) to the running cloud; a name or id already in use is 409 and
    /// nothing is added. They also join what `POST /mock/reset` goes back to.
    static func addFixtures(_ c: Context) throws(APIError) -> Reply {
        let loaded = try parse(c, requireSystem: false)
        if loaded.settings != nil { throw .badRequest("POST /mock/fixtures adds orgs and services; settings: belongs to PUT /mock/state.") }
        try domain { () throws(DomainError) in try c.store.add(loaded.snapshot) }
        c.notifier.setOrgNames(c.store.allOrgs)
        var reply = try ControlStatus.json(AddedView(added: loaded.orgs.map(\.name), services: loaded.services.map(\.namespace),
                                               counts: c.store.counts()))
        reply.status = 201
        return reply
    }

    static func parse(_ c: Context, requireSystem: Bool) throws(APIError) -> Fixtures {
        guard let text = String(bytes: c.request.body, encoding: .utf8) else {
            throw .badRequest("The body must be fixture YAML in UTF-8.")
        }
        do {
            return try FixtureLoader.load(yaml: text, file: "body", now: c.store.clock.now(), requireSystem: requireSystem)
        } catch {
            throw .badRequest(error.description)
        }
    }
}

struct ResetView: Encodable {
    let reset: String
    let counts: [String: Int]?
}

struct AddedView: Encodable {
    let added: [String]
    let services: [String]
    let counts: [String: Int]
}

/// A notifier's settings at start.
struct FixtureStart: Sendable {
    let settings: AMQPSettings
    let enabled: Bool
    let configured: Bool
}

extension Notifier {
    /// The settings as a state export writes them.
    public var fixtureSettings: FixtureSettings {
        state.withLock { s in FixtureSettings(amqp: s.settings, configured: s.configured, notifications: s.enabled) }
    }

    /// Broker settings and switch from a state; the publisher reconnects only when the broker changed.
    public func apply(_ f: FixtureSettings) {
        let changed = state.withLock { s -> Bool in
            let changed = s.settings != f.amqp || s.configured != f.configured
            s.settings = f.amqp
            s.configured = f.configured
            s.enabled = f.notifications
            return changed
        }
        if changed {
            publisher.reconfigure(endpoint: f.configured ? Self.endpoint(f.amqp) : nil, exchanges: Self.exchanges(f.amqp))
        }
    }

    /// Back to the settings the server started with.
    public func restoreStart() {
        guard let start = state.withLock({ $0.start }) else { return }
        apply(FixtureSettings(amqp: start.settings, configured: start.configured, notifications: start.enabled))
    }
}
