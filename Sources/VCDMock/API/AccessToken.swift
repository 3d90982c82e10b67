import Foundation
import VCDCore
import VCDHTTP
import VCDXML

/// A session's access token: a real JWT (header.payload.signature, base64url), signed HS256 with a key
/// made at process start, so tokens never outlive the process that issued them. The Store maps each issued
/// token to its session, so a request is authenticated by one dictionary lookup, not by verifying it.
enum AccessToken {
    static let key = HMAC.randomBytes(32)
    /// How long a token is accepted; the session's idle timeout can end it sooner.
    static let lifetimeMillis: Int64 = 24 * 60 * 60 * 1000

    /// Makes a token for the session and attaches it; nil when the session ended meanwhile.
    static func issue(for p: Principal, issuer: String, store: Store) -> String? {
        let now = store.clock.now()
        let expires = Timestamp(milliseconds: now.milliseconds + lifetimeMillis)
        let claims: [String: Any] = [
            "iss": issuer,
            "sub": p.user.name,
            "iat": now.milliseconds / 1000,
            "exp": expires.milliseconds / 1000,
            "jti": p.session.id,
            "org": p.orgName,
            "orgId": urn("org", p.orgID),
            "contextTenantId": urn("org", p.orgID),
            "userId": urn("user", p.user.id),
            "sessionId": urn("session", p.session.id),
        ]
        let jwt = sign(claims)
        return store.attachAccessToken(jwt, expires: expires, to: p.session.token) == nil ? nil : jwt
    }

    static func sign(_ claims: [String: Any]) -> String {
        let header = base64URL(json(["alg": "HS256", "typ": "JWT"]))
        let payload = base64URL(json(claims))
        let signature = HMAC.sha256(key: key, data: Array("\(header).\(payload)".utf8))
        return "\(header).\(payload).\(base64URL(signature))"
    }

    /// The claims of a token this process signed; nil for anything else (wrong shape or signature).
    static func verify(_ jwt: String) -> [String: Any]? {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = decode(parts[2]), let payload = decode(parts[1]) else { return nil }
        let expected = HMAC.sha256(key: key, data: Array("\(parts[0]).\(parts[1])".utf8))
        guard signature == expected else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
    }

    static func json(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return Array(data)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        var s = Data(bytes).base64EncodedString()
        s = s.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }
}
