import Foundation
import VCDCore
import VCDHTTP
import VCDXML

/// Login, current session and logout (§2.2).
enum SessionEndpoints {
    static func login(_ c: Context) throws(APIError) -> Reply {
        let (user, org, password) = try credentials(c.request.header("Authorization"))
        let p = try domain { () throws(DomainError) in try c.store.login(user: user, org: org, password: password) }
        var headers = [
            HTTPHeader("x-vcloud-authorization", p.session.token),
            HTTPHeader("Set-Cookie", "vcloud-token=\(p.session.token); Secure; Path=/"),
        ]
        // From API 30 the 5.5-style login also hands out the session's JWT (§9).
        if APIVersion.issuesAccessToken(c.version), let jwt = AccessToken.issue(for: p, issuer: c.baseURL + "/cloudapi", store: c.store) {
            headers += [HTTPHeader("X-VMWARE-VCLOUD-ACCESS-TOKEN", jwt), HTTPHeader("X-VMWARE-VCLOUD-TOKEN-TYPE", "Bearer")]
        }
        return Reply(mediaType: MediaType.session, body: SessionDocument.session(p, hrefs: c.hrefs, version: c.version), headers: headers)
    }

    static func current(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        return Reply(mediaType: MediaType.session, body: SessionDocument.session(p, hrefs: c.hrefs, version: c.version),
                     headers: [HTTPHeader("x-vcloud-authorization", p.session.token)])
    }

    static func logout(_ c: Context) throws(APIError) -> Reply {
        c.store.logout(token: try c.caller.session.token)
        return .noContent
    }

    /// `Authorization: Basic base64(user@org:password)`
    static func credentials(_ header: String?) throws(APIError) -> (String, String, String) {
        let usage = "Log in with HTTP Basic authentication as user@org:password, e.g. curl -u administrator@System:vmware."
        guard let header else { throw .unauthorized("No Authorization header. " + usage) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: String(parts[1]).trimmed),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else {
            throw .unauthorized("The Authorization header is not valid Basic credentials. " + usage)
        }
        let login = text[..<colon]
        let password = String(text[text.index(after: colon)...])
        guard let at = login.lastIndex(of: "@") else {
            throw .unauthorized("The user name '\(login)' names no organization. " + usage)
        }
        return (String(login[..<at]), String(login[login.index(after: at)...]), password)
    }
}
