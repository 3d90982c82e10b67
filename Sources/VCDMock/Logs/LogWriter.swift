import Foundation
import Synchronization
import Logging
import VCDCore

/// Log lines written off the request threads: a logging call only appends the line's parts, as bytes, to
/// its thread's buffer under a short lock; one writer thread formats and writes what gathered, every 20 ms,
/// in one write(2). Measured: swift-log's StreamLogHandler (a timestamp format and a write(2) per line under
/// a lock) cost about 40% of GET throughput at the default `info` level. A full buffer never blocks a
/// worker: the line is dropped and counted, and the count is written as soon as there is room.
/// Each request thread has a buffer of its own (`ThreadSlot`): with one buffer for all, the two request
/// threads of a 2-core machine passed its lock back and forth on every request (`perf`: ~1% of a GET in the
/// lock alone), and the lines' strings were released, and freed, on the writer thread.
public final class LogWriter: Sendable {
    /// One thread's lines, each a record: kind (0 text, 1 request), level, milliseconds (8 bytes), status
    /// (2) and microseconds (8) of a request, then four texts, each a 4-byte length and its bytes: label,
    /// method, path and note of a request; label, text and two empty ones of any other line.
    struct Shard {
        var bytes = Bytes()
        var lines = 0
        var dropped = 0
    }

    /// Raw bytes that grow by doubling: a record is written in place (an array's append of a zero run to
    /// write into cost ~460 instructions a line). Owned by one shard, then by the writer.
    final class Bytes: @unchecked Sendable {
        private(set) var base: UnsafeMutableRawPointer
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int = 4096) {
            self.capacity = capacity
            base = .allocate(byteCount: capacity, alignment: 8)
        }

        deinit { base.deallocate() }

        /// Room for `n` more bytes, counted as written.
        func claim(_ n: Int) -> UnsafeMutableRawPointer {
            if count + n > capacity {
                capacity = max(2 * capacity, count + n)
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
                grown.copyMemory(from: base, byteCount: count)
                base.deallocate()
                base = grown
            }
            defer { count += n }
            return base + count
        }

        var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

        func clear() { count = 0 }
    }

    private static let shardCount = 4
    private static let header = 20
    /// What one buffer may hold between two writes, whatever the lines' length (URLs are up to 8 KB).
    public static let maxBytes = 8 << 20
    private static let levels = Logger.Level.allCases
    private let shards: [Locked<Shard>]
    private let stopped = Atomic<Bool>(false)
    /// Serializes writing (the writer thread's batches, and `close`); holds the dropped lines already noted,
    /// and the buffers written last time, which the shards get back empty (a fresh one would grow again, and
    /// one of 128 KB or more is a new mapping whose pages fault in).
    private let writing = Locked((reported: 0, spares: [Bytes]()))
    private let capacity: Int
    private let fd: Int32
    private let interval: Double

    /// Lines go to `fd` (stderr by default); at most `capacity` lines (and `maxBytes`) wait at once in each
    /// of the (4) buffers the threads are spread over. The writer thread wakes every `interval` seconds; with nil there is none and
    /// only `close()` writes (tests use that to fill it).
    public init(fd: Int32 = STDERR_FILENO, capacity: Int = 16_384, interval: Double? = 0.02) {
        self.fd = fd
        self.capacity = capacity
        self.interval = interval ?? 0
        shards = (0..<Self.shardCount).map { _ in Locked(Shard()) }
        guard interval != nil else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "vcd-mock-log"
        thread.start()
    }

    /// Lines dropped because a buffer was full, since start.
    public var dropped: Int { shards.reduce(0) { $0 + $1.withLock { $0.dropped } } }

    func append(_ level: Logger.Level, _ label: String, _ text: String) {
        append(kind: 0, level, Self.now(), status: 0, micros: 0, label, text, "", "")
    }

    /// The request log's line at info, as `logger.info("GET /path 200 12µs")` would write it, without
    /// building the text on the request thread (that was most of what a log line cost there).
    public func request(label: String, method: String, path: String, status: Int, micros: UInt64, note: String) {
        append(kind: 1, .info, Self.now(), status: status, micros: micros, label, method, path, note)
    }

    private static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec / 1_000_000)
    }

    private func append(kind: UInt8, _ level: Logger.Level, _ ms: Int64, status: Int, micros: UInt64,
                        _ a: String, _ b: String, _ c: String, _ d: String) {
        let n = Self.header + 16 + a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count
        let level = UInt8(Self.levels.firstIndex(of: level) ?? 0)
        shards[ThreadSlot.current % Self.shardCount].withLock { s in
            guard s.lines < capacity, s.bytes.count + n <= Self.maxBytes else {
                s.dropped += 1
                return
            }
            s.lines += 1
            let out = s.bytes.claim(n)
            out.storeBytes(of: kind, as: UInt8.self)
            out.storeBytes(of: level, toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: ms.littleEndian, toByteOffset: 2, as: Int64.self)
            out.storeBytes(of: UInt16(clamping: status).littleEndian, toByteOffset: 10, as: UInt16.self)
            out.storeBytes(of: micros.littleEndian, toByteOffset: 12, as: UInt64.self)
            var o = Self.header
            func put(_ text: String) {
                withUTF8Bytes(text) { u in
                    out.storeBytes(of: UInt32(u.count).littleEndian, toByteOffset: o, as: UInt32.self)
                    if let base = u.baseAddress { (out + o + 4).copyMemory(from: base, byteCount: u.count) }
                    o += 4 + u.count
                }
            }
            put(a)
            put(b)
            put(c)
            put(d)
        }
        // After `close` nobody else will write the line: write it now.
        if stopped.load(ordering: .relaxed) { flush() }
    }

    /// Writes everything buffered so far and stops the writer; later lines are written at once.
    public func close() {
        stopped.store(true, ordering: .relaxed)
        flush()
    }

    private func loop() {
        while !stopped.load(ordering: .relaxed) {
            if !flush() { Thread.sleep(forTimeInterval: interval) }
        }
    }

    /// Takes every buffer's lines and writes them, oldest first; false when there were none.
    @discardableResult
    private func flush() -> Bool {
        writing.withLock { w in
            var taken: [Shard] = []
            for shard in shards {
                let spare = w.spares.popLast() ?? Bytes()
                spare.clear()
                taken.append(shard.withLock { s in
                    var t = Shard(bytes: spare)
                    swap(&t, &s)
                    s.dropped = t.dropped
                    return t
                })
            }
            let dropped = taken.reduce(0) { $0 + $1.dropped }
            let wrote = write(taken, dropped: dropped, reported: &w.reported)
            w.spares = taken.map(\.bytes)
            return wrote
        }
    }

    /// A record's fields, read back on the writer thread.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        mutating func int<T: FixedWidthInteger>(_: T.Type) -> T {
            let v = T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self))
            at += MemoryLayout<T>.size
            return v
        }

        mutating func text() -> UnsafeRawBufferPointer {
            let n = Int(int(UInt32.self))
            defer { at += n }
            return UnsafeRawBufferPointer(rebasing: bytes[at ..< at + n])
        }
    }

    /// Writes the records of every buffer merged by time (each buffer is in order already), then a note for
    /// lines dropped since the last note. Only under `writing`.
    private func write(_ taken: [Shard], dropped: Int, reported: inout Int) -> Bool {
        // A line is its record's texts plus at most `lineExtra` bytes: the output's size is known up front, and
        // it is written through a pointer (appending to an array, part by part, was ~2k instructions a line).
        let bound = taken.reduce(0) { $0 + $1.bytes.buffer.count + $1.lines * Self.lineExtra }
        // Lines of one batch mostly share their second: its "YYYY-MM-DDTHH:MM:SS." is formatted once.
        var second = Int64.min
        var prefix: [UInt8] = []
        var any = false
        var readers = taken.map { Reader(bytes: $0.bytes.buffer) }
        var out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
            written = 0
            guard let base = buffer.baseAddress else { return }
            var o = 0
            func put(_ bytes: UnsafeRawBufferPointer) {
                guard let from = bytes.baseAddress else { return }
                (base + o).initialize(from: from.assumingMemoryBound(to: UInt8.self), count: bytes.count)
                o += bytes.count
            }
            func put(_ byte: UInt8) {
                base[o] = byte
                o += 1
            }
            func put(decimal value: UInt64) {
                var digits = 1, rest = value
                while rest >= 10 { rest /= 10; digits += 1 }
                var v = value
                for k in stride(from: digits - 1, through: 0, by: -1) {
                    base[o + k] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
                o += digits
            }
            while true {
                // The buffer whose next line is the oldest.
                var pick = -1, oldest = Int64.max
                for k in readers.indices where readers[k].at < readers[k].bytes.count {
                    let r = readers[k]
                    let ms = Int64(littleEndian: r.bytes.loadUnaligned(fromByteOffset: r.at + 2, as: Int64.self))
                    if ms < oldest { (pick, oldest) = (k, ms) }
                }
                guard pick >= 0 else { break }
                any = true
                var r = readers[pick]
                let kind = r.int(UInt8.self), level = Int(r.int(UInt8.self)), ms = r.int(Int64.self)
                let status = r.int(UInt16.self), micros = r.int(UInt64.self)
                let remainder = ((ms % 1000) + 1000) % 1000
                if ms - remainder != second {
                    second = ms - remainder
                    prefix = Array(Timestamp(milliseconds: second).iso8601.utf8.prefix(20))
                }
                prefix.withUnsafeBytes { put($0) }
                put(UInt8(ascii: "0") + UInt8(remainder / 100))
                put(UInt8(ascii: "0") + UInt8(remainder / 10 % 10))
                put(UInt8(ascii: "0") + UInt8(remainder % 10))
                put(UInt8(ascii: "Z"))
                put(UInt8(ascii: " "))
                Self.levelNames[level < Self.levelNames.count ? level : 0].withUnsafeBytes { put($0) }
                put(UInt8(ascii: " "))
                // "label: text", or "label: METHOD path status microsµs note".
                put(r.text())
                put(UInt8(ascii: ":"))
                put(UInt8(ascii: " "))
                put(r.text())
                let (path, note) = (r.text(), r.text())
                if kind == 1 {
                    put(UInt8(ascii: " "))
                    put(path)
                    put(UInt8(ascii: " "))
                    put(decimal: UInt64(status))
                    put(UInt8(ascii: " "))
                    put(decimal: micros)
                    put(0xC2)  // "µs"
                    put(0xB5)
                    put(UInt8(ascii: "s"))
                    put(note)
                }
                put(UInt8(ascii: "\n"))
                readers[pick] = r
            }
            written = o
        }
        if dropped > reported {
            out.append(contentsOf: ("\(Timestamp(milliseconds: Self.now()).iso8601) warning vcd-mock: "
                + "\(dropped - reported) log line(s) dropped: a log buffer (\(capacity) lines) was full\n").utf8)
            reported = dropped
        }
        guard !out.isEmpty else { return any }
        out.withUnsafeBytes { b in
            var offset = 0
            while offset < b.count, let base = b.baseAddress {
                let n = Glibc.write(fd, base + offset, b.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
        return any
    }

    /// What a line adds to its record's texts, at most: the time (25 bytes with its space), a level and a
    /// space (9), ": " and the request's three spaces, status (5 digits), micros (20) and "µs" (3), "\n".
    private static let lineExtra = 25 + 9 + 2 + 3 + 5 + 20 + 3 + 1
    private static let levelNames: [[UInt8]] = levels.map { Array($0.rawValue.utf8) }
}

/// The swift-log handler in front of a `LogWriter`.
public struct BatchedLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let writer: LogWriter

    public init(label: String, level: Logger.Level, writer: LogWriter) {
        self.label = label
        logLevel = level
        self.writer = writer
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        let text = all.isEmpty ? event.message.description
            : all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + " " + event.message.description
        writer.append(event.level, label, text)
    }
}
