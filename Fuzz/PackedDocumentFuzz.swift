// libFuzzer target: the render cache's packed org documents (see scripts/fuzz). Any bytes must pack and
// unpack to themselves; inputs are also wrapped in org-document markup, so the words, the href base and
// repeated UUIDs are met, not only literal runs; and any bytes after the mark must unpack without a fault.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacked(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = Array(UnsafeBufferPointer(start: data, count: size))
    let uuid = Array("a93c9db9-7471-3192-8d09-a8f7eeda85f9".utf8)
    let wrapped = Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8) + Array("\n<Org xmlns=\"http://www.vmware.com/vcloud/v1.5\" href=\"https://127.0.0.1:8080/api/org/".utf8)
        + uuid + Array("\" type=\"application/vnd.vmware.vcloud.org+xml\">".utf8) + raw
        + Array("<Link rel=\"down\" href=\"https://127.0.0.1:8080/api/tasksList/".utf8) + uuid + raw + uuid + Array("\"/></Org>".utf8)
    // Bytes that were never packed: unpacking them must stay in bounds (the 16-byte copies included).
    _ = PackedDocument.unpack([PackedDocument.mark] + raw)
    for doc in [raw, wrapped] {
        let packed = PackedDocument.pack(doc)
        if PackedDocument.unpack(packed) != doc { fatalError("pack/unpack changed \(doc.count) bytes") }
    }
    return 0
}
