import VCDCore

/// The `Event` a service posts (reference §7.1).
public enum EventDocument {
    public static func decode(_ root: ParsedElement) throws(XMLParseError) -> EventDraft {
        try expectRoot(root, "Event")
        var d = EventDraft(type: root["type"], typeFull: root["typeFull"], serviceNamespace: root["serviceNamespace"],
                           success: root["success"])
        d.owner = TaskDocument.reference(root.child("Owner"))
        d.user = TaskDocument.reference(root.child("User"))
        return d
    }
}
