/// Settings of the application layer (the CLI fills them from flags and VCD_MOCK_* variables).
public struct AppConfig: Sendable {
    /// Base of every href; nil derives it from each request's Host header.
    public var publicURL: String?
    public var maxBodyBytes: Int
    /// API versions offered by `/api/versions` and accepted in `Accept: …;version=`.
    public var versions: [String]

    public init(publicURL: String? = nil, maxBodyBytes: Int = 1 << 20, versions: [String] = ["1.5", "5.1", "5.5"]) {
        self.publicURL = publicURL
        self.maxBodyBytes = maxBodyBytes
        self.versions = versions
    }
}
