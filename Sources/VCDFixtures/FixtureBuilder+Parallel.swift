import Foundation
import VCDCore

/// Builds a directory's files side by side (one builder per file, as many at once as there are cores),
/// then joins them in file order. A file's orgs, tasks and ids depend only on that file, except the
/// running task and event counts that generated ids are made from: each file's builder starts at the
/// counts of the files before it (counted from the parsed trees first). Anything unusual (a file that
/// fails, or a name, id, namespace or settings block given in two files) returns nil: the caller then
/// builds one file after another, which reports the first problem in file order with its `file:line`,
/// exactly as before.
extension FixtureBuilder {
    static func parallel(_ documents: [YAMLReader?], now: Timestamp) -> FixtureBuilder? {
        guard documents.count > 1 else { return nil }
        var starts: [(tasks: Int, events: Int)] = []
        var tasks = 0, events = 0
        for document in documents {
            starts.append((tasks, events))
            guard let n = counts(document) else { return nil }
            tasks += n.tasks
            events += n.events
        }
        let bases = starts
        let built = Slots(count: documents.count)
        let next = Slots.Counter()
        let workers = min(documents.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let input = UncheckedDocuments(documents)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: input.documents.count) {
                var b = FixtureBuilder(now: now)
                b.taskBase = bases[i].tasks
                b.eventBase = bases[i].events
                b.reserveClaims(nodes: input.documents[i]?.tree.nodes.count ?? 0)
                built.set(i, (try? b.add(input.documents[i])).map { b })
            }
        }
        var all = FixtureBuilder(now: now)
        all.tasks.reserveCapacity(tasks)
        let parts = built.all
        // Each id table grows once, to its final size, instead of once per file.
        var sizes: [String: Int] = [:]
        for part in parts { for (kind, table) in part?.ids ?? [:] { sizes[kind, default: 0] += table.count } }
        for (kind, size) in sizes { all.ids[kind, default: [:]].reserveCapacity(size) }
        for part in parts {
            guard let part, all.absorb(part) else { return nil }
        }
        return all
    }

    /// Tasks and events a parsed file defines (its orgs' `tasks:` and `events:` lists); nil if the file
    /// is not shaped as expected (its builder will say why).
    static func counts(_ document: YAMLReader?) -> (tasks: Int, events: Int)? {
        guard let document else { return (0, 0) }
        guard let top = try? document.mapping(allowed: ["orgs", "services", "settings", "blockingTasks"], context: "the file"),
              let orgs = try? top["orgs"]?.sequence("orgs") ?? [] else { return nil }
        var tasks = 0, events = 0
        for org in orgs {
            guard org.isMapping, let f = try? org.mapping(allowed: Self.orgKeys, context: "an org"),
                  let t = try? f["tasks"]?.sequence("tasks") ?? [], let e = try? f["events"]?.sequence("events") ?? [] else { return nil }
            tasks += t.count
            events += e.count
        }
        return (tasks, events)
    }

    /// Adds a file's builder after this one; false when the two define the same thing.
    mutating func absorb(_ b: FixtureBuilder) -> Bool {
        guard settingsLine == nil || b.settingsLine == nil, blockingLine == nil || b.blockingLine == nil else { return false }
        for name in b.orgLines.keys where orgLines[name] != nil { return false }
        for namespace in b.serviceNamespaces.keys where serviceNamespaces[namespace] != nil { return false }
        for (kind, table) in b.ids {
            var mine = ids.removeValue(forKey: kind) ?? [:]
            for (id, location) in table where mine.updateValue(location, forKey: id) != nil { return false }
            ids[kind] = mine
        }
        orgLines.merge(b.orgLines) { a, _ in a }
        serviceNamespaces.merge(b.serviceNamespaces) { a, _ in a }
        orgs += b.orgs
        tasks += b.tasks
        events += b.events
        services += b.services
        interner.merge(b.interner)
        if b.settingsLine != nil { (settings, settingsLine) = (b.settings, b.settingsLine) }
        if b.blockingLine != nil { (blocking, blockingLine) = (b.blocking, b.blockingLine) }
        return true
    }
}

/// Parsed trees handed to the workers: each is only read, by one worker.
private final class UncheckedDocuments: @unchecked Sendable {
    let documents: [YAMLReader?]
    init(_ documents: [YAMLReader?]) { self.documents = documents }
}

/// One slot per file, each written by exactly one worker and read after `concurrentPerform` returns.
private final class Slots: @unchecked Sendable {
    private var slots: [FixtureBuilder?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ b: FixtureBuilder?) {
        lock.lock()
        slots[i] = b
        lock.unlock()
    }
    var all: [FixtureBuilder?] { lock.withLock { slots } }

    final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard value < limit else { return nil }
                value += 1
                return value - 1
            }
        }
    }
}
