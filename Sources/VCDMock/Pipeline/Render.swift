import Foundation
import VCDCore
import VCDHTTP
import VCDXML

extension App {
    /// The response for a result: the reply with its versioned Content-Type, or the error in the format of
    /// the path's family (vCD XML `Error` for /api, JSON for /cloudapi and /mock).
    func render(_ result: Result<Reply, APIError>, _ exchange: Exchange) -> HTTPResponse {
        switch result {
        case .success(let reply):
            var response = HTTPResponse(status: reply.status, headers: reply.headers, body: reply.body)
            response.pooledBody = reply.pooledBody
            // Room for Content-Type and the request id (Finisher.requestID): growing it twice cost ~600 instructions.
            response.headers.reserveCapacity(response.headers.count + 2)
            if !reply.verbatim {
                let type = reply.mediaType ?? MediaType.any
                response.headers.append(HTTPHeader("Content-Type", Negotiation.unversioned(type) ? type
                                                       : String(joining: type, ";version=", version(exchange))))
            }
            return response
        case .failure(let error):
            var response: HTTPResponse
            switch exchange.group {
            case .api:
                response = HTTPResponse(status: error.status, contentType: String(joining: MediaType.error, ";version=", version(exchange)),
                                        body: error.xmlBody)
            case .cloudAPI:
                response = HTTPResponse(status: error.status, contentType: "application/json", body: error.cloudAPIBody)
            case .control:
                response = HTTPResponse(status: error.status, contentType: "application/json", body: error.controlBody)
            }
            response.headers.reserveCapacity(3)
            if error.status == 405, !exchange.allowed.isEmpty {
                response.headers.append(HTTPHeader("Allow", exchange.allowed.joined(separator: ", ")))
            }
            return response
        }
    }

    /// The negotiated version, or (for answers given before negotiation) what Accept asked for.
    func version(_ exchange: Exchange) -> String {
        exchange.version ?? Negotiation.version(exchange.request.header("Accept"), offered: config.versions) ?? "5.5"
    }
}
