import Foundation
import VCDAMQP
import VCDCore
import VCDXML

/// `/mock/...`: JSON views for tests, open on loopback (or to a system administrator's token).
enum ControlStatus {
    static func amqp(_ c: Context) throws(APIError) -> Reply {
        return try json(c.notifier.publisher.stats)
    }

    static func extensions(_ c: Context) throws(APIError) -> Reply {
        return try json(c.bridge.stats)
    }

    static func events(_ c: Context) throws(APIError) -> Reply {
        var out: [EventView] = []
        var dropped: [String: Int] = [:]
        for org in c.store.allOrgs {
            let (events, n) = c.store.events(in: org.id)
            out += events.map { EventView($0, orgName: org.name) }
            if n > 0 { dropped[org.name] = n }
        }
        out.sort { $0.timestamp < $1.timestamp }
        return try json(EventsView(events: out, dropped: dropped))
    }

    /// `limit=N` of the journal views: the newest N entries that match.
    static func limitParameter(_ q: [String: String]) throws(APIError) -> Int? {
        guard let text = q["limit"] else { return nil }
        guard let n = Int(text), n >= 0 else { throw .badRequest("limit=\(text) is not a whole number ≥ 0.") }
        return n
    }

    static func json<T: Encodable>(_ value: T) throws(APIError) -> Reply {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Reply(mediaType: "application/json", body: Array(try encoder.encode(value)))
        } catch {
            throw APIError(500, "INTERNAL_SERVER_ERROR", "cannot encode JSON: \(error)")
        }
    }
}

struct EventsView: Encodable {
    let events: [EventView]
    /// Events dropped per org by the retention bound (oldest first).
    let dropped: [String: Int]
}

struct EventView: Encodable {
    let eventId, type, typeFull, serviceNamespace, timestamp, org, orgName, user: String
    let success: Bool
    let entity: String?
    let operationName: String?

    init(_ e: Event, orgName: String) {
        eventId = e.id
        type = e.type
        typeFull = e.typeFull
        serviceNamespace = e.serviceNamespace
        timestamp = e.timestamp.iso8601
        org = urn("org", e.orgID)
        self.orgName = orgName
        user = EventView.urnOf(e.user)
        success = e.success
        entity = e.entity.map(EventView.urnOf)
        operationName = e.operationName
    }

    static func urnOf(_ ref: EntityRef) -> String {
        switch ref {
        case .user(let id, _): urn("user", id)
        case .org(let id, _): urn("org", id)
        case .task(let id, _): urn("task", id)
        case .external(let r): r.href
        }
    }
}
