import VCDCore

/// The top-level `services:` list: extension services registered before the first request (§5.2).
extension FixtureBuilder {
    mutating func addService(_ r: YAMLReader) throws(FixtureError) {
        let f = try r.mapping(allowed: ["name", "id", "namespace", "routingKey", "exchange", "enabled", "priority",
                                        "vendor", "description", "authorizationEnabled", "filters"], context: "a service")
        let name = try required("name", f, r)
        guard let namespaceNode = f["namespace"] else { throw r.fail("service '\(name)' needs a namespace") }
        let namespace = try required("namespace", f, r)
        if let previous = serviceNamespaces[namespace] {
            throw namespaceNode.fail("service namespace '\(namespace)' is used twice (first at \(previous)); namespaces must be unique")
        }
        serviceNamespaces[namespace] = "\(r.file):\(namespaceNode.line ?? 0)"
        let priority = try f["priority"]?.int("priority") ?? 50
        guard (0...100).contains(priority) else {
            throw (f["priority"] ?? r).fail("priority \(priority) is outside 0...100 (50 is neutral)")
        }
        let id = try claim(f["id"].string("id", default: StableID.uuid("externalService", namespace)), kind: "service",
                           at: f["id"] ?? r)
        var service = ExtensionService(
            id: id, name: name, namespace: namespace, enabled: try f["enabled"]?.bool("enabled") ?? true,
            authorizationEnabled: try f["authorizationEnabled"]?.bool("authorizationEnabled") ?? false,
            routingKey: try required("routingKey", f, r), priority: priority, exchange: try required("exchange", f, r),
            vendor: try f["vendor"].string("vendor", default: ""), description: try f["description"].string("description", default: ""))
        for (index, node) in (try f["filters"]?.sequence("filters") ?? []).enumerated() {
            let text = try node.string("a filter")
            do {
                _ = try URLPattern(text)
            } catch {
                throw node.fail("service '\(name)': \(error.message)")
            }
            service.filters.append(APIFilter(id: StableID.uuid("apiFilter", namespace, String(index)), urlPattern: text))
        }
        services.append(service)
    }

    /// A key every service needs, non-empty.
    private func required(_ key: String, _ f: YAMLFields, _ r: YAMLReader) throws(FixtureError) -> String {
        let name = (try? f["name"]?.string("name")).flatMap { $0 } ?? "?"
        guard let node = f[key] else { throw r.fail("service '\(name)' needs a \(key)") }
        let value = try node.string(key)
        guard !value.isEmpty else { throw node.fail("service '\(name)': \(key) must not be empty") }
        return value
    }
}
