// libFuzzer target: a pattern (first line) and a path (the rest). A pattern PatternSafety lets through must
// compile or be refused cleanly, and match within libFuzzer's -timeout (a hang there is a catastrophic
// pattern the check missed).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPattern(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    guard let pattern = try? URLPattern(String(parts[0])) else { return 0 }
    _ = pattern.matches(parts.count > 1 ? String(parts[1].prefix(64)) : "/api/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    return 0
}
