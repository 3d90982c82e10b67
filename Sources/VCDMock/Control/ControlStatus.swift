import Foundation
import VCDAMQP
import VCDCore
import VCDXML

/// `/mock/...`: JSON views for tests, open on loopback (or to a system administrator's token).
enum ControlStatus {
    static func amqp(_ c: Context) throws(APIError) -> Reply {
        try allowed(c)
        return try json(c.notifier.publisher.stats)
    }

    static func extensions(_ c: Context) throws(APIError) -> Reply {
        try allowed(c)
        return try json(c.bridge.stats)
    }

    static func events(_ c: Context) throws(APIError) -> Reply {
        try allowed(c)
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

    /// Open on loopback. From elsewhere: with `--control-token`, `Authorization: Bearer <token>`; without it,
    /// a system administrator's session token.
    static func allowed(_ c: Context) throws(APIError) {
        switch access(remoteAddress: c.request.remoteAddress, authorization: c.request.header("Authorization"),
                      controlToken: c.config.controlToken,
                      isSysadmin: {
                          guard let token = Negotiation.token(c.request), let p = try? c.store.principal(token: token) else { return false }
                          return p.isSysadmin
                      }) {
        case .allowed: return
        case .needsControlToken:
            throw .unauthorized("/mock from a non-loopback address needs Authorization: Bearer <the --control-token value>.")
        case .forbidden:
            throw .forbidden("/mock is open on loopback only; from elsewhere send a system administrator's session token.")
        }
    }

    enum Access: Equatable { case allowed, needsControlToken, forbidden }

    /// The access rule as a pure function, so it can be tested with any address.
    static func access(remoteAddress: String, authorization: String?, controlToken: String?,
                       isSysadmin: () -> Bool) -> Access {
        if isLoopback(remoteAddress) { return .allowed }
        if let controlToken, !controlToken.isEmpty {
            guard let authorization else { return .needsControlToken }
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  constantTimeEqual(parts[1].trimmingSpaces, controlToken) else { return .needsControlToken }
            return .allowed
        }
        return isSysadmin() ? .allowed : .forbidden
    }

    /// 127.0.0.0/8 and ::1, also IPv4-mapped (`::ffff:127.x.y.z`) and spelled out in full.
    static func isLoopback(_ address: String) -> Bool {
        var a = address.lowercased()
        if a.hasPrefix("[") && a.hasSuffix("]") { a = String(a.dropFirst().dropLast()) }
        if let percent = a.firstIndex(of: "%") { a = String(a[..<percent]) }
        if a.hasPrefix("::ffff:") { a = String(a.dropFirst(7)) } else if a.hasPrefix("0:0:0:0:0:ffff:") { a = String(a.dropFirst(15)) }
        if a == "::1" || a == "0:0:0:0:0:0:0:1" { return true }
        let octets = a.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }

    /// Media types App sends without `;version=` (not vCloud types).
    static func unversioned(_ type: String) -> Bool {
        type.hasPrefix("application/json") || type.hasPrefix("application/yaml")
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
