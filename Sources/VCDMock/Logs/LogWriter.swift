import Foundation
import Logging
import VCDCore

/// Log lines written off the request threads: a logging call only appends the line to a bounded buffer
/// under a short lock; one writer thread formats and writes what gathered, every 20 ms, in one write(2).
/// Measured: swift-log's StreamLogHandler (a timestamp format and a write(2) per line under a lock) cost
/// about 40% of GET throughput at the default `info` level. A full buffer never blocks a worker: the line
/// is dropped and counted, and the count is written as soon as there is room.
public final class LogWriter: Sendable {
    struct Line: Sendable {
        let milliseconds: Int64
        let level: Logger.Level
        let label: String
        let text: String
        /// A request's line, kept as its parts: the writer thread joins them, not the request thread.
        var request: RequestLine?
    }

    /// `GET /api/org/26 200 123µs` plus a note such as " (forwarded)".
    struct RequestLine: Sendable {
        let method: String
        let path: String
        let status: Int
        let micros: UInt64
        let note: String
    }

    struct State {
        var lines: [Line] = []
        var dropped = 0
        var stopped = false
    }

    private let state = Locked(State())
    private let capacity: Int
    private let fd: Int32
    private let interval: Double

    /// Lines go to `fd` (stderr by default); at most `capacity` wait at once. The writer thread wakes every
    /// `interval` seconds; with nil there is none and only `close()` writes (tests use that to fill it).
    public init(fd: Int32 = STDERR_FILENO, capacity: Int = 65_536, interval: Double? = 0.02) {
        self.fd = fd
        self.capacity = capacity
        self.interval = interval ?? 0
        guard interval != nil else { return }
        let thread = Thread { [self] in self.loop() }
        thread.name = "vcd-mock-log"
        thread.start()
    }

    /// Lines dropped because the buffer was full, since start.
    public var dropped: Int { state.withLock { $0.dropped } }

    func append(_ level: Logger.Level, _ label: String, _ text: String) {
        append(Line(milliseconds: Self.now(), level: level, label: label, text: text))
    }

    /// The request log's line at info, as `logger.info("GET /path 200 12µs")` would write it, without
    /// building the text on the request thread (that was most of what a log line cost there).
    public func request(label: String, method: String, path: String, status: Int, micros: UInt64, note: String) {
        append(Line(milliseconds: Self.now(), level: .info, label: label, text: "",
                    request: RequestLine(method: method, path: path, status: status, micros: micros, note: note)))
    }

    private static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec / 1_000_000)
    }

    private func append(_ line: Line) {
        state.withLock { s in
            if s.lines.count < capacity { s.lines.append(line) } else { s.dropped += 1 }
        }
    }

    /// Writes everything buffered so far and stops the writer; later lines are written at once.
    public func close() {
        let (lines, dropped) = state.withLock { s in
            s.stopped = true
            return (take(&s), s.dropped)
        }
        write(lines, dropped: dropped, reported: 0)
    }

    private func take(_ s: inout State) -> [Line] {
        var taken: [Line] = []
        taken.reserveCapacity(min(capacity, max(64, s.lines.count)))
        swap(&taken, &s.lines)
        return taken
    }

    private func loop() {
        var reported = 0
        while true {
            let (lines, dropped, stopped) = state.withLock { s in (take(&s), s.dropped, s.stopped) }
            if stopped { return }
            reported = write(lines, dropped: dropped, reported: reported)
            if lines.isEmpty { Thread.sleep(forTimeInterval: interval) }
        }
    }

    /// A string's bytes in one copy (appending its UTF8View went through the generic path, ~170 instructions).
    private static func put(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// Writes the lines, then a note for lines dropped since the last note; returns the dropped count noted.
    /// Appends bytes to one buffer (no string per line): at the default level this runs once per request.
    @discardableResult

    private func write(_ lines: [Line], dropped: Int, reported: Int) -> Int {
        var out: [UInt8] = []
        out.reserveCapacity(lines.count * 96)
        // Lines of one batch mostly share their second: its "YYYY-MM-DDTHH:MM:SS." is formatted once.
        var second = Int64.min
        var prefix: [UInt8] = []
        for line in lines {
            let ms = ((line.milliseconds % 1000) + 1000) % 1000
            if line.milliseconds - ms != second {
                second = line.milliseconds - ms
                prefix = Array(Timestamp(milliseconds: second).iso8601.utf8.prefix(20))
            }
            out.append(contentsOf: prefix)
            out.append(UInt8(ascii: "0") + UInt8(ms / 100))
            out.append(UInt8(ascii: "0") + UInt8(ms / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(ms % 10))
            out.append(UInt8(ascii: "Z"))
            out.append(UInt8(ascii: " "))
            Self.put(line.level.rawValue, to: &out)
            out.append(UInt8(ascii: " "))
            Self.put(line.label, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: " "))
            if let r = line.request {
                Self.put(r.method, to: &out)
                out.append(UInt8(ascii: " "))
                Self.put(r.path, to: &out)
                out.append(UInt8(ascii: " "))
                Self.appendDecimal(UInt64(clamping: r.status), to: &out)
                out.append(UInt8(ascii: " "))
                Self.appendDecimal(r.micros, to: &out)
                out.append(contentsOf: "µs".utf8)
                Self.put(r.note, to: &out)
            } else {
                Self.put(line.text, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        if dropped > reported {
            out.append(contentsOf: ("\(Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).iso8601) warning vcd-mock: "
                + "\(dropped - reported) log line(s) dropped: the log buffer (\(capacity) lines) was full\n").utf8)
        }
        guard !out.isEmpty else { return reported }
        out.withUnsafeBytes { b in
            var offset = 0
            while offset < b.count, let base = b.baseAddress {
                let n = Glibc.write(fd, base + offset, b.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
        return max(dropped, reported)
    }

    private static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buf in
            var v = value
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            out.append(contentsOf: buf[i...])
        }
    }
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
