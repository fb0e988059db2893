/// One pass over a request head: request line, then header lines, then the blank line.
/// Works on raw bytes; strings are made once per field.
struct HeadScanner {
    let bytes: UnsafeRawBufferPointer
    /// Scanning never reads at or past `end` (the smaller of the buffer and the size limit).
    let end: Int
    /// Field lines allowed in the head (`Int.max` for no limit).
    let maxFields: Int
    /// Position after what has been accepted so far; after `scanHead`, the consumed count.
    var index = 0
    var requestLineDone = false

    init(bytes: UnsafeRawBufferPointer, end: Int, maxFields: Int) {
        self.bytes = bytes
        self.end = end
        self.maxFields = maxFields
    }

    mutating func scanHead() throws(ScanStop) -> RequestHead {
        try skipLeadingEmptyLines()
        let line = try scanRequestLine()
        let pathRange = try line.pathRange(bytes)
        requestLineDone = true
        var fields = HeaderFields(version: line.version)
        try scanHeaders(into: &fields)
        try fields.finish()
        let targetEnd = line.targetEnd
        let query = line.queryStart.map { ASCII.string(bytes, $0 + 1, targetEnd, highBits: line.targetHighBits) } ?? ""
        return RequestHead(
            method: ASCII.string(bytes, line.methodStart, line.methodEnd, highBits: 0),
            target: ASCII.string(bytes, line.targetStart, targetEnd, highBits: line.targetHighBits),
            path: line.path(bytes, pathRange),
            query: query,
            version: line.version,
            headers: fields.headers,
            contentLength: fields.contentLength,
            isChunked: fields.isChunked,
            keepAlive: fields.keepAlive,
            expectsContinue: fields.expectsContinue)
    }

    // MARK: - Lines

    /// RFC 9112 §2.2: empty lines before the request line are ignored.
    private mutating func skipLeadingEmptyLines() throws(ScanStop) {
        while index < end {
            switch bytes[index] {
            case ASCII.lf:
                index += 1
            case ASCII.cr:
                try expectLineEnd()
            default:
                return
            }
        }
        throw .incomplete
    }

    /// At a CR or LF: consume CRLF or LF; a CR not followed by LF is an error.
    @inline(__always)
    private mutating func expectLineEnd() throws(ScanStop) {
        if bytes[index] == ASCII.cr {
            index += 1
            guard index < end else { throw .incomplete }
            guard bytes[index] == ASCII.lf else { throw .bad("bare CR in line ending") }
        }
        index += 1
    }

    private mutating func scanRequestLine() throws(ScanStop) -> RequestLine {
        // method = token, then exactly one SP
        let methodStart = index
        while index < end, ASCII.isToken(bytes[index]) { index += 1 }
        guard index < end else { throw .incomplete }
        guard bytes[index] == ASCII.space, index > methodStart else { throw .bad("invalid method") }
        let methodEnd = index
        index += 1

        // request-target: visible bytes, then exactly one SP
        let targetStart = index
        var queryStart: Int?
        var high: UInt8 = 0
        while index < end {
            let byte = bytes[index]
            guard ASCII.isVisible(byte) else { break }
            if byte == ASCII.question, queryStart == nil { queryStart = index }
            high |= byte
            index += 1
        }
        guard index < end else { throw .incomplete }
        if bytes[index] == 0 { throw .bad("NUL in request-target") }
        guard bytes[index] == ASCII.space, index > targetStart else { throw .bad("invalid request-target") }
        let targetEnd = index
        index += 1

        // HTTP-version: "HTTP/" DIGIT "." DIGIT, then the line end
        let versionStart = index
        while index < end, ASCII.isVisible(bytes[index]), index - versionStart < 8 { index += 1 }
        guard index < end else { throw .incomplete }
        let terminator = bytes[index]
        guard terminator == ASCII.cr || terminator == ASCII.lf else { throw .bad("invalid HTTP version") }
        let version = try Self.version(bytes, versionStart, index)
        try expectLineEnd()
        return RequestLine(
            methodStart: methodStart, methodEnd: methodEnd, targetStart: targetStart, targetEnd: targetEnd,
            queryStart: queryStart, targetHighBits: high, version: version)
    }

    private static func version(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws(ScanStop) -> HTTPVersion {
        guard end - start == 8, ASCII.equals(bytes, start, start + 5, "HTTP/"),
            ASCII.isDigit(bytes[start + 5]), bytes[start + 6] == 0x2E, ASCII.isDigit(bytes[start + 7])
        else { throw .bad("invalid HTTP version") }
        let version = HTTPVersion(major: Int(bytes[start + 5] &- 0x30), minor: Int(bytes[start + 7] &- 0x30))
        guard version.major == 1, version.minor <= 1 else { throw .failure(.versionNotSupported) }
        return version
    }

    /// `field-name ":" OWS field-value OWS` lines until the empty line.
    private mutating func scanHeaders(into fields: inout HeaderFields) throws(ScanStop) {
        while true {
            guard index < end else { throw .incomplete }
            let first = bytes[index]
            if first == ASCII.cr || first == ASCII.lf {
                try expectLineEnd()
                return
            }
            if ASCII.isWhitespace(first) { throw .bad("obsolete line folding") }

            let nameStart = index
            while index < end, ASCII.isToken(bytes[index]) { index += 1 }
            guard index < end else { throw .incomplete }
            guard bytes[index] == ASCII.colon, index > nameStart else { throw .bad("invalid header name") }
            let nameEnd = index
            index += 1

            while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
            let valueStart = index
            var valueEnd = index
            var high: UInt8 = 0
            while index < end {
                let byte = bytes[index]
                if ASCII.isVisible(byte) {
                    high |= byte
                    index += 1
                    valueEnd = index
                } else if ASCII.isWhitespace(byte) {
                    index += 1
                } else {
                    break
                }
            }
            guard index < end else { throw .incomplete }
            let terminator = bytes[index]
            guard terminator == ASCII.cr || terminator == ASCII.lf else { throw .bad("invalid character in header value") }
            try expectLineEnd()
            guard fields.headers.count < maxFields else { throw .failure(.tooManyFields) }
            try fields.add(bytes, name: nameStart..<nameEnd, value: valueStart..<valueEnd, highBits: high)
        }
    }
}
