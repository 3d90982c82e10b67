import VCDHTTP

/// A successful answer before the pipeline adds version, request id and logging.
struct Reply: Sendable {
    var status: Int
    var mediaType: String?
    var body: [UInt8]
    var headers: [HTTPHeader]
    /// Sent as it is, headers included (an extension service's own response): no Content-Type added.
    var verbatim = false
    /// The body is an array of `BodyPool.shared`'s, given back once sent.
    var pooledBody = false

    init(status: Int = 200, mediaType: String?, body: [UInt8], headers: [HTTPHeader] = []) {
        self.status = status
        self.mediaType = mediaType
        self.body = body
        self.headers = headers
    }

    /// An extension service's response, passed on untouched.
    init(verbatim response: HTTPResponse) {
        self.init(status: response.status, mediaType: nil, body: response.body, headers: response.headers)
        verbatim = true
    }

    static func ok(_ mediaType: String, _ body: [UInt8]) -> Reply { Reply(mediaType: mediaType, body: body) }
    static let noContent = Reply(status: 204, mediaType: nil, body: [])
}
