import Yams

/// Typed access to a YAML node that reports the file and line of anything wrong.
struct YAMLReader {
    let file: String
    let node: Node

    var line: Int? { node.mark?.line }

    func fail(_ problem: String) -> FixtureError { FixtureError(file: file, line: line, problem) }

    func mapping(allowed: Set<String>, context: String) throws(FixtureError) -> [String: YAMLReader] {
        guard case .mapping(let mapping) = node else { throw fail("\(context) must be a mapping (key: value lines)") }
        var out: [String: YAMLReader] = [:]
        for (key, value) in mapping {
            let keyReader = YAMLReader(file: file, node: key)
            guard let name = key.string else { throw keyReader.fail("\(context) has a key that is not text") }
            guard allowed.contains(name) else {
                throw keyReader.fail("unknown key '\(name)' in \(context); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            out[name] = YAMLReader(file: file, node: value)
        }
        return out
    }

    func sequence(_ context: String) throws(FixtureError) -> [YAMLReader] {
        guard case .sequence(let seq) = node else { throw fail("\(context) must be a list (lines starting with '- ')") }
        return seq.map { YAMLReader(file: file, node: $0) }
    }

    func string(_ context: String) throws(FixtureError) -> String {
        guard case .scalar(let scalar) = node else { throw fail("\(context) must be a single value") }
        return scalar.string
    }

    func bool(_ context: String) throws(FixtureError) -> Bool {
        switch try string(context).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail("\(context) must be true or false")
        }
    }

    func int(_ context: String) throws(FixtureError) -> Int {
        guard let value = Int(try string(context)) else { throw fail("\(context) must be a whole number") }
        return value
    }
}

extension Optional where Wrapped == YAMLReader {
    func string(_ context: String, default value: String) throws(FixtureError) -> String {
        guard let self else { return value }
        return try self.string(context)
    }
}
