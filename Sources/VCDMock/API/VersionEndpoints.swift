import VCDXML

/// `GET /api/versions` (§2.1): no session, no version needed.
enum VersionEndpoints {
    static func list(_ c: Context) throws(APIError) -> Reply {
        .ok(MediaType.versions, SessionDocument.versions(c.config.versions, hrefs: c.hrefs))
    }
}
