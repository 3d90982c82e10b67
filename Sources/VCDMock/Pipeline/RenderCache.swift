import VCDCore

/// Rendered documents that depend only on org data, reused until the org revision changes.
/// Access is checked before every lookup; the cache only saves the XML writing.
final class RenderCache: Sendable {
    struct Key: Hashable, Sendable {
        let kind: String
        let id: String
        let base: String
        let revision: UInt64
    }

    private let entries = Locked<[Key: [UInt8]]>([:])
    private let limit: Int

    init(limit: Int = 4096) { self.limit = limit }

    func bytes(_ key: Key, render: () throws(APIError) -> [UInt8]) throws(APIError) -> [UInt8] {
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let rendered = try render()
        entries.withLock { e in
            // Stale revisions and odd Host headers would grow it forever; start over instead.
            if e.count >= limit { e.removeAll(keepingCapacity: true) }
            e[key] = rendered
        }
        return rendered
    }
}
