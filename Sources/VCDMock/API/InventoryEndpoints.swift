import VCDCore
import VCDXML

/// Vdcs, catalogs and org networks: minimal representations so that links never dangle.
enum InventoryEndpoints {
    static func network(_ c: Context) throws(APIError) -> Reply { try item(.network, c, admin: false) }
    static func adminCatalog(_ c: Context) throws(APIError) -> Reply { try item(.catalog, c, admin: true) }
    static func adminNetwork(_ c: Context) throws(APIError) -> Reply { try item(.network, c, admin: true) }

    static func item(_ kind: InventoryItem.Kind, _ c: Context, admin: Bool) throws(APIError) -> Reply {
        let p = try c.caller
        let (org, item) = try domain { () throws(DomainError) in try c.store.item(kind, c.param("id"), for: p, admin: admin) }
        let type = InventoryDocument.names(kind, admin: admin).1
        return .ok(type, InventoryDocument.item(item, org: org, admin: admin, hrefs: c.hrefs))
    }
}
