// libFuzzer target: the router and the percent decoder on arbitrary paths (see scripts/fuzz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = PercentDecoding.decode(text, plusIsSpace: true)
    _ = FuzzRoutes.router.match(method: "GET", path: text)
    _ = FuzzRoutes.router.match(method: "POST", path: text)
    return 0
}

enum FuzzRoutes {
    static let router: Router<Int> = {
        var r = Router<Int>()
        for (i, p) in ["/api/versions", "/api/org/{id}", "/api/tasksList/{org}", "/api/task/{id}/action/cancel",
                       "/api/admin/extension/service/{id}/apifilters", "/cloudapi/1.0.0/sessions", "/mock/faults/{id}"].enumerated() {
            r.add("GET", p, name: p, i)
            r.add("POST", p, name: p, i)
        }
        return r
    }()
}
