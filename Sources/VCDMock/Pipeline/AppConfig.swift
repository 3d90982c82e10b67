import VCDXML

/// Settings of the application layer (the CLI fills them from flags and VCD_MOCK_* variables).
public struct AppConfig: Sendable {
    /// Base of every href; nil derives it from each request's Host header.
    public var publicURL: String?
    /// "https" when the server speaks TLS: hrefs built from the Host header use it.
    public var scheme: String
    public var maxBodyBytes: Int
    /// API versions offered by `/api/versions` and accepted in `Accept: …;version=`.
    public var versions: [String]
    /// Handled requests `GET /mock/requests` keeps; older ones are dropped and counted.
    public var journalSize: Int
    /// When set, `/mock/...` from a non-loopback client needs `Authorization: Bearer <token>`.
    public var controlToken: String?
    /// Org documents the render cache keeps as rendered before it packs the rest (tests set 0 to see every
    /// document packed, as at 10,000 orgs).
    var renderCachePlainBytes = 1 << 20

    public init(publicURL: String? = nil, scheme: String = "http", maxBodyBytes: Int = 1 << 20, versions: [String] = APIVersion.all,
                journalSize: Int = 10_000, controlToken: String? = nil) {
        self.publicURL = publicURL
        self.scheme = scheme
        self.maxBodyBytes = maxBodyBytes
        self.versions = versions
        self.journalSize = journalSize
        self.controlToken = controlToken
    }
}
