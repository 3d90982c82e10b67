/// The vCD `Error` element (reference §1.8).
public enum ErrorDocument {
    public static func encode(status: Int, minorCode: String, message: String) -> [UInt8] {
        let w = XMLWriter()
        w.root("Error")
        w.attribute("majorErrorCode", String(status))
        w.attribute("message", message)
        w.attribute("minorErrorCode", minorCode)
        w.end()
        return w.finish()
    }
}
