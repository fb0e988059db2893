/// Offsets of the parts of a scanned request line.
struct RequestLine {
    var methodStart: Int
    var methodEnd: Int
    var targetStart: Int
    var targetEnd: Int
    /// Offset of the first `?` in the target.
    var queryStart: Int?
    /// OR of all target bytes (>= 0x80 when some byte is not ASCII).
    var targetHighBits: UInt8
    var version: HTTPVersion

    /// The path part of the target (see `RequestHead.path`); an empty range means `/`.
    func pathRange(_ bytes: UnsafeRawBufferPointer) throws(ScanStop) -> Range<Int> {
        let pathEnd = queryStart ?? targetEnd
        let first = bytes[targetStart]
        if first == ASCII.slash { return targetStart..<pathEnd }
        if first == 0x2A, targetEnd == targetStart + 1 {  // "*": for OPTIONS only (RFC 9112 §3.2.4)
            guard ASCII.equals(bytes, methodStart, methodEnd, "OPTIONS") else {
                throw .bad("* target with a method other than OPTIONS")
            }
            return targetStart..<targetEnd
        }
        if isConnect(bytes) {
            guard queryStart == nil, !contains(bytes, ASCII.slash) else { throw .bad("invalid CONNECT target") }
            return targetStart..<targetEnd
        }
        return try absolutePath(bytes, pathEnd: pathEnd)
    }

    func path(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        if range.isEmpty { return "/" }
        return ASCII.string(bytes, range.lowerBound, range.upperBound, highBits: targetHighBits)
    }

    /// absolute-form: `scheme "://" authority [path]`; returns the path range.
    private func absolutePath(_ bytes: UnsafeRawBufferPointer, pathEnd: Int) throws(ScanStop) -> Range<Int> {
        var index = targetStart
        guard ASCII.lower(bytes[index]) &- 0x61 < 26 else { throw .bad("invalid request-target") }
        while index < pathEnd {
            let byte = bytes[index]
            let isSchemeByte = ASCII.lower(byte) &- 0x61 < 26 || ASCII.isDigit(byte)
                || byte == 0x2B || byte == 0x2D || byte == 0x2E
            guard isSchemeByte else { break }
            index += 1
        }
        guard pathEnd - index >= 3, bytes[index] == ASCII.colon, bytes[index + 1] == ASCII.slash,
            bytes[index + 2] == ASCII.slash
        else { throw .bad("invalid request-target") }
        index += 3
        let authorityStart = index
        while index < pathEnd, bytes[index] != ASCII.slash { index += 1 }
        guard HostSyntax.isValidAuthority(bytes, authorityStart..<index) else { throw .bad("invalid authority in request-target") }
        return index..<pathEnd
    }

    private func isConnect(_ bytes: UnsafeRawBufferPointer) -> Bool {
        ASCII.equals(bytes, methodStart, methodEnd, "CONNECT")
    }

    private func contains(_ bytes: UnsafeRawBufferPointer, _ wanted: UInt8) -> Bool {
        for index in targetStart..<targetEnd where bytes[index] == wanted { return true }
        return false
    }
}
