import Foundation

/// Writes a line to a standard stream. A closed pipe (the reader went away, e.g. `| head -1`) is not an
/// error for a server: the line is dropped. SIGPIPE is ignored at start, so write() returns EPIPE instead.
enum Output {
    static func say(_ line: String, newline: Bool = true) { write(newline ? line + "\n" : line, to: STDOUT_FILENO) }
    static func warn(_ line: String) { write(line + "\n", to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { return }
            }
        }
    }
}
