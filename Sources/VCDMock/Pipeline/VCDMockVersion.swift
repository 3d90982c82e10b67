/// The release of vcd-mock, shown by `GET /mock/about`.
public enum VCDMockVersion {
    public static let current = "0.3.0"
}
