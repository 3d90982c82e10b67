import VCDCore

/// `Entity` (reference §3.5): what `GET /api/entity/{urn}` answers, an alternate link to the object.
public enum EntityDocument {
    public static func entity(urn: String, name: String, type: String, href: String, hrefs: Hrefs) -> [UInt8] {
        let w = XMLWriter()
        w.root("Entity")
        w.attribute("href", hrefs.entity(urn))
        w.attribute("type", MediaType.entity)
        w.attribute("id", urn)
        w.attribute("name", name)
        w.link(rel: "alternate", type: type, href: href)
        w.end()
        return w.finish()
    }
}
