/// Settings of the application layer (the CLI fills them from flags and VCD_MOCK_* variables).
public struct AppConfig: Sendable {
    /// Base of every href; nil derives it from each request's Host header.
    public var publicURL: String?
    public var maxBodyBytes: Int
    /// API versions offered by `/api/versions` and accepted in `Accept: …;version=`.
    public var versions: [String]
    /// Handled requests `GET /mock/requests` keeps; older ones are dropped and counted.
    public var journalSize: Int
    /// When set, `/mock/...` from a non-loopback client needs `Authorization: Bearer <token>`.
    public var controlToken: String?

    public init(publicURL: String? = nil, maxBodyBytes: Int = 1 << 20, versions: [String] = ["1.5", "5.1", "5.5"],
                journalSize: Int = 10_000, controlToken: String? = nil) {
        self.publicURL = publicURL
        self.maxBodyBytes = maxBodyBytes
        self.versions = versions
        self.journalSize = journalSize
        self.controlToken = controlToken
    }
}
