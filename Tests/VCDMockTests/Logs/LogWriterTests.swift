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
