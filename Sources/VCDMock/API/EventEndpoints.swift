import VCDCore
import VCDXML

/// `POST /api/admin/org/{id}/events` (§7.1): 204, the event is recorded.
enum EventEndpoints {
    static func post(_ c: Context) throws(APIError) -> Reply {
        let p = try c.caller
        let draft = try c.decodeBody(EventDocument.decode)
        _ = try domain { () throws(DomainError) in try c.store.postEvent(in: c.param("id"), draft, by: p) }
        return .noContent
    }
}
