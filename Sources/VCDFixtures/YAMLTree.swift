import Yams

/// One YAML document as flat arrays: what the fixture reader walks. Built by `BlockYAMLParser` (the fast
/// path for plain block-style files) or, for anything else, from Yams' node tree, so both paths give the
/// reader the same nodes, texts and 1-based lines.
final class YAMLTree {
    enum Kind: UInt8 { case scalar, mapping, sequence }

    /// scalar: text = `bytes[start ..< start + count]`; mapping: `kids[start ..< start + 2 * count]` as key,
    /// value pairs; sequence: `kids[start ..< start + count]`.
    struct Node {
        var kind: Kind
        var line: Int32
        var start: Int32
        var count: Int32
    }

    var bytes: [UInt8]
    var nodes: [Node] = []
    var kids: [Int32] = []
    var root: Int32?

    init(bytes: [UInt8]) { self.bytes = bytes }

    func text(_ node: Int32) -> String {
        let n = nodes[Int(node)]
        return bytes.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[Int(n.start) ..< Int(n.start + n.count)]), as: UTF8.self)
        }
    }

    /// Whether scalar `node` spells `word` (no String is made).
    func scalar(_ node: Int32, equals word: String) -> Bool {
        let n = nodes[Int(node)]
        guard n.kind == .scalar else { return false }
        var word = word
        return word.withUTF8 { w in
            guard w.count == Int(n.count) else { return false }
            return bytes.withUnsafeBufferPointer { b in
                memcmpEqual(b.baseAddress! + Int(n.start), w.baseAddress, w.count)
            }
        }
    }

    func addScalar(line: Int, start: Int, count: Int) -> Int32 {
        nodes.append(Node(kind: .scalar, line: Int32(line), start: Int32(start), count: Int32(count)))
        return Int32(nodes.count - 1)
    }

    /// A collection whose children (key/value pairs for a mapping) are `children`.
    func addCollection(_ kind: Kind, line: Int, children: [Int32]) -> Int32 {
        let start = kids.count
        kids.append(contentsOf: children)
        let count = kind == .mapping ? children.count / 2 : children.count
        nodes.append(Node(kind: kind, line: Int32(line), start: Int32(start), count: Int32(count)))
        return Int32(nodes.count - 1)
    }

    /// The slow path: Yams' composed tree, copied into this shape.
    convenience init(yams root: Yams.Node?) {
        self.init(bytes: [])
        if let root { self.root = add(root) }
    }

    private func add(_ node: Yams.Node) -> Int32 {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let s):
            let start = bytes.count
            bytes.append(contentsOf: s.string.utf8)
            return addScalar(line: line, start: start, count: bytes.count - start)
        case .mapping(let m):
            var children: [Int32] = []
            children.reserveCapacity(m.count * 2)
            for (k, v) in m { children.append(add(k)); children.append(add(v)) }
            return addCollection(.mapping, line: line, children: children)
        case .sequence(let s):
            var children: [Int32] = []
            children.reserveCapacity(s.count)
            for item in s { children.append(add(item)) }
            return addCollection(.sequence, line: line, children: children)
        case .alias:
            // compose() resolves aliases; an unresolved one reads as an empty value.
            return addScalar(line: line, start: bytes.count, count: 0)
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let b else { return count == 0 }
    for i in 0 ..< count where a[i] != b[i] { return false }
    return true
}
