extension Timestamp {
    /// Appends `iso8601`'s bytes without making a String (list documents print two or three per task).
    public func appendISO8601(to out: inout [UInt8]) {
        let ms = Int(((milliseconds % 1000) + 1000) % 1000)
        let secs = (milliseconds - Int64(ms)) / 1000
        let days = Int(secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400)
        let rem = Int(secs - Int64(days) * 86_400)
        let (y, m, d) = Self.civil(fromDays: days)
        guard (0...9999).contains(y) else {
            out.append(contentsOf: iso8601.utf8)
            return
        }
        var b: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &b) { raw in
            func put(_ value: Int, _ at: Int, _ width: Int) {
                var v = value
                for i in stride(from: at + width - 1, through: at, by: -1) {
                    raw[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
                    v /= 10
                }
            }
            put(y, 0, 4); raw[4] = UInt8(ascii: "-"); put(m, 5, 2); raw[7] = UInt8(ascii: "-"); put(d, 8, 2)
            raw[10] = UInt8(ascii: "T"); put(rem / 3600, 11, 2); raw[13] = UInt8(ascii: ":"); put(rem / 60 % 60, 14, 2)
            raw[16] = UInt8(ascii: ":"); put(rem % 60, 17, 2); raw[19] = UInt8(ascii: "."); put(ms, 20, 3)
            raw[23] = UInt8(ascii: "Z")
            out.append(contentsOf: raw.bindMemory(to: UInt8.self))
        }
    }
}
