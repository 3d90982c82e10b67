/// vCloud API versions the mock speaks (reference §2.1, §9): the 5.5 cell's three and the 9.0–10.3 range
/// that current clients (pyvcloud 23 accepts 29.0–36.0 only) negotiate. Every one uses the v1.5 namespace.
public enum APIVersion {
    public static let all = ["1.5", "5.1", "5.5", "29.0", "30.0", "31.0", "32.0", "33.0", "34.0", "35.0", "36.0"]

    /// The major number ("36.0" -> 36, "5.5" -> 5); 0 for text that is not a version.
    public static func major(_ version: String) -> Int {
        // Runs on most requests: digits up to the first ".", without Substring → Int parsing.
        var major = 0
        for byte in version.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return byte == UInt8(ascii: ".") ? major : 0 }
            major = major &* 10 &+ Int(byte &- UInt8(ascii: "0"))
            if major > 1_000_000 { return 0 }
        }
        return major
    }

    /// API 30+ also issues a JWT (`X-VMWARE-VCLOUD-ACCESS-TOKEN`) on `POST /api/sessions`.
    public static func issuesAccessToken(_ version: String) -> Bool { major(version) >= 30 }
    /// API 33+ logs in through cloudapi and lists vdcs through the Org's query links.
    public static func hasCloudAPISessions(_ version: String) -> Bool { major(version) >= 33 }
    /// API 36+ advertises the cloudapi login URL (and the provider one) in `/api/versions`.
    public static func advertisesCloudAPILogin(_ version: String) -> Bool { major(version) >= 36 }
    /// After 5.5 (5.7 and later) the Session carries `roles` and `locationId`.
    public static func sessionHasRoles(_ version: String) -> Bool { major(version) >= 29 }
}
