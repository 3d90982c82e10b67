import Foundation

/// Reads and parses a fixture directory's files on all cores: a file's text and YAML tree depend on
/// nothing else, so at 10,000 orgs (11 files) the parse runs beside itself while the build that
/// follows stays in file order. Each result keeps its own `file:line` error; the loader reports the
/// first problem in file order, as a one-by-one load would.
enum FixtureFiles {
    static func parse(_ paths: [String]) -> [Result<YAMLReader?, FixtureError>] {
        let results = Results(count: paths.count)
        let workers = min(paths.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        // Workers take the next file in turn: the files differ in size (00-system.yaml is small).
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(below: paths.count) {
                results.set(i, one(paths[i]))
            }
        }
        return results.all
    }

    static func one(_ path: String) -> Result<YAMLReader?, FixtureError> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return .failure(FixtureError(file: path, line: nil, "cannot be read as UTF-8 text"))
        }
        do {
            return .success(try YAMLReader.document(yaml: text, file: path))
        } catch {
            return .failure(error)
        }
    }

    /// One slot per file, each written by exactly one worker and read after `concurrentPerform` returns
    /// (which orders those writes before the read).
    private final class Results: @unchecked Sendable {
        private var slots: [Result<YAMLReader?, FixtureError>?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ r: Result<YAMLReader?, FixtureError>) {
            lock.lock()
            slots[i] = r
            lock.unlock()
        }
        var all: [Result<YAMLReader?, FixtureError>] {
            slots.map { $0 ?? .failure(FixtureError(file: "?", line: nil, "was not parsed")) }
        }
    }

    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func take(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }
}
