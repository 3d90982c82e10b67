// libFuzzer target: the fixture YAML loader (Yams, then FixtureLoader's checks) on arbitrary text, as
// `POST /mock/fixtures` and --fixtures files reach it. Must return or throw FixtureError; never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFixtureYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let now = Timestamp(iso8601: "2024-05-01T10:00:00.000Z") ?? FuzzFixtureClock.fallback
    _ = try? FixtureLoader.load(yaml: text, now: now, requireSystem: false)
    _ = try? FixtureLoader.load(yaml: text, now: now, requireSystem: true)
    return 0
}

enum FuzzFixtureClock {
    static let fallback = SystemClock().now()
}
