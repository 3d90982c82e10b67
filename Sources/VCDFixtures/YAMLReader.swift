import Yams

/// Typed access to a YAML node that reports the file and line of anything wrong.
struct YAMLReader {
    let file: String
    let tree: YAMLTree
    let index: Int32

    /// The document of one file: the fast block reader when it can, Yams otherwise (BlockYAMLParser.swift).
    static func document(yaml: String, file: String) throws(FixtureError) -> YAMLReader? {
        let tree: YAMLTree
        if let fast = BlockYAMLParser.parse(Array(yaml.utf8)) {
            tree = fast
        } else {
            do {
                tree = YAMLTree(yams: try Yams.compose(yaml: yaml, .basic))  // no implicit-tag regexes: they were slow
            } catch let error as YamlError {
                throw FixtureError(file: file, line: Self.line(of: error), "is not valid YAML: \(error)")
            } catch {
                throw FixtureError(file: file, line: nil, "is not valid YAML: \(error)")
            }
        }
        return tree.root.map { YAMLReader(file: file, tree: tree, index: $0) }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private var node: YAMLTree.Node { tree.nodes[Int(index)] }

    var line: Int? { Int(node.line) }

    var isMapping: Bool { node.kind == .mapping }

    func fail(_ problem: String) -> FixtureError { FixtureError(file: file, line: line, problem) }

    func mapping(allowed: [String], context: String) throws(FixtureError) -> YAMLFields {
        let n = node
        guard n.kind == .mapping else { throw fail("\(context) must be a mapping (key: value lines)") }
        var out = YAMLFields()
        out.pairs.reserveCapacity(Int(n.count))
        for k in 0 ..< Int(n.count) {
            let keyIndex = tree.kids[Int(n.start) + 2 * k], valueIndex = tree.kids[Int(n.start) + 2 * k + 1]
            let keyReader = YAMLReader(file: file, tree: tree, index: keyIndex)
            guard tree.nodes[Int(keyIndex)].kind == .scalar else { throw keyReader.fail("\(context) has a key that is not text") }
            guard let name = allowed.first(where: { tree.scalar(keyIndex, equals: $0) }) else {
                throw keyReader.fail("unknown key '\(tree.text(keyIndex))' in \(context); allowed: \(allowed.sorted().joined(separator: ", "))")
            }
            // A repeated key: the last one wins (what the former dictionary did).
            if let i = out.pairs.firstIndex(where: { $0.key == name }) { out.pairs.remove(at: i) }
            out.pairs.append((name, YAMLReader(file: file, tree: tree, index: valueIndex)))
        }
        return out
    }

    func sequence(_ context: String) throws(FixtureError) -> [YAMLReader] {
        let n = node
        guard n.kind == .sequence else { throw fail("\(context) must be a list (lines starting with '- ')") }
        return (0 ..< Int(n.count)).map { YAMLReader(file: file, tree: tree, index: tree.kids[Int(n.start) + $0]) }
    }

    func string(_ context: String) throws(FixtureError) -> String {
        guard node.kind == .scalar else { throw fail("\(context) must be a single value") }
        return tree.text(index)
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

/// A mapping's values by key (a handful of keys: a list beats hashing).
struct YAMLFields {
    var pairs: [(key: String, value: YAMLReader)] = []

    subscript(key: String) -> YAMLReader? {
        for pair in pairs where pair.key == key { return pair.value }
        return nil
    }
}

extension Optional where Wrapped == YAMLReader {
    func string(_ context: String, default value: String) throws(FixtureError) -> String {
        guard let self else { return value }
        return try self.string(context)
    }
}
