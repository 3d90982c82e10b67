import VCDHTTP

/// A successful answer before the application adds version, request id and logging.
public struct Reply: Sendable {
    public var status: Int
    public var mediaType: String?
    public var body: [UInt8]
    public var headers: [HTTPHeader]

    public init(status: Int = 200, mediaType: String?, body: [UInt8], headers: [HTTPHeader] = []) {
        self.status = status
        self.mediaType = mediaType
        self.body = body
        self.headers = headers
    }

    public static func ok(_ mediaType: String, _ body: [UInt8]) -> Reply { Reply(mediaType: mediaType, body: body) }
    public static let noContent = Reply(status: 204, mediaType: nil, body: [])
}
