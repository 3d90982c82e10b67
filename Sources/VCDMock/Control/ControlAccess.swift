import VCDCore
import VCDHTTP

/// Who may use `/mock`: anyone on loopback; from elsewhere, with `--control-token`, `Authorization: Bearer
/// <token>`, and without it a system administrator's session token. Checked once, as a pipeline step.
enum ControlAccess {
    enum Verdict: Equatable { case allowed, needsControlToken, forbidden }

    /// The rule as a pure function, so it can be tested with any address.
    static func verdict(remoteAddress: String, authorization: String?, controlToken: String?,
                        isSysadmin: () -> Bool) -> Verdict {
        if isLoopback(remoteAddress) { return .allowed }
        if let controlToken, !controlToken.isEmpty {
            guard let authorization else { return .needsControlToken }
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  constantTimeEqual(parts[1].trimmed, controlToken) else { return .needsControlToken }
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
}

extension Step {
    static let controlAccess = Step(name: "controlAccess") { app, ex throws(APIError) in
        guard ex.group == .control else { return nil }
        let request = ex.request
        let verdict = ControlAccess.verdict(remoteAddress: request.remoteAddress, authorization: request.header("Authorization"),
                                            controlToken: app.config.controlToken) {
            (try? app.authenticate(request))?.isSysadmin ?? false
        }
        switch verdict {
        case .allowed: return nil
        case .needsControlToken:
            throw .unauthorized("/mock from a non-loopback address needs Authorization: Bearer <the --control-token value>.")
        case .forbidden:
            throw .forbidden("/mock is open on loopback only; from elsewhere send a system administrator's session token.")
        }
    }
}
