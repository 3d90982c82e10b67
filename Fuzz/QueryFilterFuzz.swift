// libFuzzer target: the query service's filter parser (Sources/VCDMock/API/Query/QueryFilter.swift), raw and
// percent-encoded, and the whole query string parser around it. Must return or throw; never crash, hang or
// recurse past its depth bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryFilter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? FilterParser.parse(text)
    _ = try? FilterParser.parse(text, encoded: true)
    _ = try? QueryRequest.parse(text)
    _ = try? QueryRequest.parse("type=adminTask&filter=" + text)
    return 0
}
