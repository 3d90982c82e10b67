// libFuzzer target: the control API's JSON bodies (/mock/faults rules through FaultRuleSpec.parse, the
// JSONValue decoding every control body shares) and the ISO 8601 date-time and duration parsers of
// /mock/clock and /mock/operations. Must return or throw; never crash or hang.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzControlJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? FaultRuleSpec.parse(bytes, id: "fault-1") { key in key == "acme" ? (id: "26", name: "acme") : nil }
    _ = try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes))
    if size <= 256 {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = Timestamp(iso8601: text)
        _ = ControlledClock.milliseconds(iso8601Duration: text)
    }
    return 0
}
