// libFuzzer target: a request body through XMLReader.parse and every decoder a vCD endpoint applies to it
// (Task, Event, Service, ApiFilter, AMQP settings and notifications, Metadata, AdminOrg, User, vApp
// Instantiate/Deploy/Undeploy params). Each must throw XMLParseError or return; never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzXMLSetup.once
    guard let root = try? XMLReader.parse(Array(UnsafeBufferPointer(start: data, count: size)), maxBytes: 1 << 20) else { return 0 }
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
