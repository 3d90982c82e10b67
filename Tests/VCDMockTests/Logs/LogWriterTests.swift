import Foundation
import Logging
import Testing
import VCDCore
import VCDHTTP
import VCDMock

/// The request log is written off the request threads; these read what reaches the file descriptor.
@Suite struct LogWriterTests {
    /// A pipe whose read end is drained into a string.
    final class Sink: @unchecked Sendable {
        let pipe = Pipe()
        private let lock = NSLock()
        private var text = ""

        init() {
            pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
                let data = h.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.text += String(decoding: data, as: UTF8.self) }
            }
        }

        var fd: Int32 { pipe.fileHandleForWriting.fileDescriptor }
        var current: String { lock.withLock { text } }

        /// Polls until `condition` holds for the text or the deadline passes.
        func wait(seconds: Double = 5, until condition: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition(current) { return true }
                Thread.sleep(forTimeInterval: 0.005)
            }
            return condition(current)
        }
    }

    @Test func linesAppearWithoutAnyFlushCall() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        logger.info("GET /api/org/26 200 12µs")
        #expect(sink.wait { $0.contains(" info t: GET /api/org/26 200 12µs\n") }, "got: \(sink.current)")
        writer.close()
    }

    /// The request log's fast path (parts joined on the writer thread) writes what `logger.info` would.
    @Test func requestLinesReadAsTheyAlwaysDid() throws {
        for level in [Logger.Level.info, .warning] {
            let sink = Sink()
            let writer = LogWriter(fd: sink.fd, interval: nil)
            let logger = Logger(label: "vcd-mock") { BatchedLogHandler(label: $0, level: level, writer: writer) }
            let app = App(store: Store(orgs: []), logger: logger, requestLog: writer)
            #expect(app.handle(HTTPRequest(method: "GET", path: "/api/versions", headers: [HTTPHeader("Host", "h")])).status == 200)
            writer.close()
            #expect(sink.wait { level == .info ? $0.contains("µs\n") : true }, "got: \(sink.current)")
            let line = try #require(sink.current.split(separator: "\n").first.map(String.init) ?? (level == .info ? nil : ""))
            if level == .info {
                #expect(line.range(of: #"^\d{4}-\d\d-\d\dT[\d:.]+Z info vcd-mock: GET /api/versions 200 \d+µs$"#,
                                   options: .regularExpression) != nil, "got: \(line)")
            } else {
                #expect(line.isEmpty, "nothing below the level, got: \(line)")
            }
        }
    }

    /// Every field at its widest and narrowest: the writer sizes its output from these bounds.
    @Test func requestLinesAtTheirLimitsAreWhole() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd, interval: nil)
        let path = "/api/" + String(repeating: "p", count: 8_000)
        writer.request(label: "vcd-mock", method: "OPTIONS", path: path, status: 65_535, micros: UInt64.max, note: " (forwarded)")
        writer.request(label: "l", method: "GET", path: "/", status: 0, micros: 0, note: "")
        Logger(label: "vcd-mock") { BatchedLogHandler(label: $0, level: .info, writer: writer) }.critical("last")
        writer.close()
        #expect(sink.wait { $0.hasSuffix("last\n") }, "got: \(sink.current.suffix(300))")
        let lines = sink.current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4 && lines.last == "", "got: \(sink.current.suffix(300))")
        guard lines.count == 4 else { return }
        let widest = lines[0].hasSuffix(" info vcd-mock: OPTIONS \(path) 65535 18446744073709551615µs (forwarded)")
        #expect(widest, "got: ...\(lines[0].suffix(60))")
        #expect(lines[1].hasSuffix(" info l: GET / 0 0µs"))
        #expect(lines[2].hasSuffix(" critical vcd-mock: last"))
        for line in lines.dropLast() {
            #expect(line.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z "#, options: .regularExpression) != nil, "got: \(line.prefix(40))")
        }
    }

    @Test func belowTheLevelNothingIsWritten() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .warning, writer: writer) }
        logger.info("quiet")
        logger.warning("loud")
        #expect(sink.wait { $0.contains("loud") })
        writer.close()
        #expect(!sink.current.contains("quiet"))
    }

    @Test func closeWritesEveryBufferedLineInOrder() {
        let sink = Sink()
        // No writer thread: only close() can write these lines.
        let writer = LogWriter(fd: sink.fd, capacity: 10_000, interval: nil)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        for i in 0..<1_000 { logger.info("line \(i)") }
        writer.close()
        #expect(sink.wait { $0.contains("line 999\n") })
        let numbers = sink.current.split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        #expect(numbers == Array(0..<1_000))
    }

    /// Each thread has a buffer of its own; the writer merges them by time, so lines written by two threads
    /// one after the other come out in that order (not one buffer after the other).
    @Test func linesOfSeveralThreadsComeOutInTimeOrder() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd, capacity: 10_000, interval: nil)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        // Two threads take turns, 2 ms apart (the lines' clock counts milliseconds).
        let turns = [0, 1, 0, 1, 0]
        var threads: [Thread] = []
        let gates = (0..<turns.count).map { _ in DispatchSemaphore(value: 0) }
        for who in 0..<2 {
            let thread = Thread {
                for (k, turn) in turns.enumerated() where turn == who {
                    gates[k].wait()
                    logger.info("turn \(k)")
                    Thread.sleep(forTimeInterval: 0.002)
                    if k + 1 < gates.count { gates[k + 1].signal() }
                }
            }
            threads.append(thread)
            thread.start()
        }
        gates[0].signal()
        for thread in threads { while !thread.isFinished { Thread.sleep(forTimeInterval: 0.001) } }
        writer.close()
        #expect(sink.wait { $0.contains("turn 4\n") }, "got: \(sink.current)")
        let order = sink.current.split(separator: "\n").compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
        #expect(order == [0, 1, 2, 3, 4])
    }

    /// Many threads at once: every line arrives, each thread's in the order it wrote them.
    @Test func everyThreadsLinesArriveInTheirOrder() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd, capacity: 10_000, interval: 0.005)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        DispatchQueue.concurrentPerform(iterations: 6) { t in
            for i in 0..<300 { logger.info("thread \(t) line \(i)") }
        }
        writer.close()
        #expect(sink.wait { $0.components(separatedBy: "\n").count > 1_800 })
        var seen = [Int](repeating: -1, count: 6)
        for line in sink.current.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 4, let t = Int(words[words.count - 3]), let i = Int(words[words.count - 1]) else { continue }
            #expect(i == seen[t] + 1, "thread \(t): line \(i) after \(seen[t])")
            seen[t] = i
        }
        #expect(seen == [Int](repeating: 299, count: 6))
    }

    /// Long lines fill a buffer by bytes before they fill it by count: the rest are dropped and counted.
    @Test func aBufferIsBoundedByBytesToo() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd, capacity: 10_000, interval: nil)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        let long = String(repeating: "x", count: 100_000)
        let fit = LogWriter.maxBytes / 100_050
        for _ in 0..<(fit + 5) { logger.info("\(long)") }
        #expect(writer.dropped == 5)
        writer.close()
        #expect(sink.wait { $0.contains("5 log line(s) dropped") })
    }

    @Test func afterCloseALineIsWrittenAtOnce() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd, interval: nil)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        writer.close()
        logger.info("late")
        #expect(sink.wait { $0.contains(" info t: late\n") }, "got: \(sink.current)")
    }

    @Test func aFullBufferDropsAndCountsInsteadOfBlocking() {
        let sink = Sink()
        let writer = LogWriter(fd: sink.fd, capacity: 10, interval: nil)
        let logger = Logger(label: "t") { BatchedLogHandler(label: $0, level: .info, writer: writer) }
        for i in 0..<25 { logger.info("line \(i)") }
        #expect(writer.dropped == 15)
        writer.close()
        #expect(sink.wait { $0.contains("15 log line(s) dropped") }, "got: \(sink.current)")
        #expect(sink.current.contains("line 9\n") && !sink.current.contains("line 10\n"))
    }
}
