import VCDCore

/// `ComposeVAppParams` (vapps reference §4.6), read leniently like instantiate's body (§1.5): unknown children
/// and foreign attributes are ignored.
extension VAppDocument {
    /// The request and the `SourcedItem/Source` hrefs the client named (VMs to copy), in order.
    public static func composeParams(_ root: ParsedElement) throws(XMLParseError) -> (name: String, description: String,
                                                                                      sources: [String], deploy: Bool, powerOn: Bool) {
        try expectRoot(root, "ComposeVAppParams")
        guard let name = root["name"], !name.trimmed.isEmpty else {
            throw XMLParseError(description: "The ComposeVAppParams attribute \"name\" is required: the name of the new vApp.")
        }
        var sources: [String] = []
        for item in root.children("SourcedItem") {
            guard let href = item.child("Source")?["href"], !href.isEmpty else {
                throw XMLParseError(description: "Each SourcedItem of ComposeVAppParams needs a Source element with an href.")
            }
            sources.append(href)
        }
        if let accepted = root.child("AllEULAsAccepted")?.text.trimmed,
           !["true", "false", "1", "0"].contains(accepted.lowercased()) {
            throw XMLParseError(description: "AllEULAsAccepted must be true or false, not \"\(accepted)\".")
        }
        return (name, root.child("Description")?.text ?? "", sources, try bool(root["deploy"], "deploy"),
                try bool(root["powerOn"], "powerOn"))
    }
}
