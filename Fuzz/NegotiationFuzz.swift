// libFuzzer target: the header parsers every route runs (Sources/VCDMock/Pipeline/Negotiation.swift). Input
// lines: Accept, Content-Type, Authorization. Each must return or throw APIError; never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNegotiation(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let accept = lines[0]
    _ = Negotiation.version(accept, offered: ["5.5", "36.0", "37.0", "38.0"])
    _ = Negotiation.unversioned(accept)
    let contentType = lines.count > 1 ? lines[1] : nil
    try? Negotiation.checkContentType(contentType, allowed: ["application/vnd.vmware.vcloud.task+xml", "application/json"],
                                      method: "POST", path: "/api/task")
    let request = HTTPRequest(method: "GET", path: "/api/org", headers: [
        HTTPHeader("Accept", accept), HTTPHeader("Authorization", lines.count > 2 ? lines[2] : ""),
        HTTPHeader("x-vcloud-authorization", lines.count > 1 ? lines[1] : ""),
    ])
    _ = Negotiation.token(request)
    return 0
}
