extension Timestamp {
    /// Appends `iso8601`'s bytes without making a String (list documents print two or three per task).
    public func appendISO8601(to out: inout [UInt8]) {
        var b: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let written = withUnsafeMutableBytes(of: &b) { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard writeISO8601(into: bytes) else { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if !written { out.append(contentsOf: iso8601.utf8) }
    }
}
