// libFuzzer target: a request body through XMLReader.parse and every decoder a vCD endpoint applies to it
// (Task, Event, Service, ApiFilter, AMQP settings and notifications, Metadata, AdminOrg, User, vApp
// Instantiate/Deploy/Undeploy params). Each must throw XMLParseError or return; never crash or hang.
// The body parsed padded with NULs (the fast way, CLibXML2/shim.h) and as sent must give the same tree, or
// both fail: the padding may save time, never change what a body means. PlainXML's tree, when it reads
// a body at all, must be libxml2's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzXMLSetup.once
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if !bytes.isEmpty {
        let padded = try? XMLReader.parse(bytes, padded: true), plain = try? XMLReader.parse(bytes, padded: false)
        if padded != plain { fatalError("padded parse \(String(describing: padded)) != plain parse \(String(describing: plain))") }
        // What PlainXML accepts, libxml2 must accept with the same tree.
        if let fast = bytes.withUnsafeBufferPointer(PlainXML.parse), fast != plain {
            fatalError("PlainXML \(fast) != libxml2 \(String(describing: plain))")
        }
    }
    guard let root = try? XMLReader.parse(bytes, maxBytes: 1 << 20) else { return 0 }
    _ = try? TaskDocument.decode(root)
    _ = try? EventDocument.decode(root)
    _ = try? ServiceDocument.decodeService(root)
    _ = try? ServiceDocument.decodeFilter(root)
    _ = try? AMQPSettingsDocument.decodeSettings(root, current: AMQPSettings())
    _ = try? AMQPSettingsDocument.decodeNotifications(root)
    _ = try? MetadataDocument.decodeMetadata(root)
    _ = try? MetadataDocument.decodeValue(root, key: "key")
    _ = try? UserDocument.decodeOrg(root)
    _ = try? UserDocument.decodeUser(root)
    _ = try? VAppDocument.instantiateParams(root)
    _ = try? VAppDocument.deployParams(root)
    _ = try? VAppDocument.undeployParams(root)
    return 0
}

enum FuzzXMLSetup {
    static let once: Void = XMLReader.initialize()
}
