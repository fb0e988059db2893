/// Collects header fields during the scan and applies the framing rules of RFC 9112 §6:
/// Content-Length, Transfer-Encoding, Host, Connection, Expect; and the singleton rule of
/// RFC 9110 §5.3 for Host and Content-Type (a second one cannot be merged: 400).
struct HeaderFields {
    let version: HTTPVersion
    var headers: [(name: String, value: String)] = []
    var contentLength: Int?
    var isChunked = false
    var keepAlive: Bool { version.minor >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose) }
    var expectsContinue = false

    private var hostCount = 0
    private var contentTypeCount = 0
    private var connectionClose = false
    private var connectionKeepAlive = false
    private var hasTransferEncoding = false
    /// Transfer codings seen so far, in order, across all Transfer-Encoding fields.
    private var chunkedCount = 0
    private var lastCodingIsChunked = false
    private var otherCoding = false

    init(version: HTTPVersion) {
        self.version = version
        headers.reserveCapacity(12)
    }

    mutating func add(
        _ bytes: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>, highBits: UInt8
    ) throws(ScanStop) {
        let nameStart = name.lowerBound
        let nameEnd = name.upperBound
        switch nameEnd - nameStart {
        case 4 where ASCII.equalsLowercase(bytes, nameStart, nameEnd, "host"):
            hostCount += 1
            try checkHost(bytes, value)
        case 6 where ASCII.equalsLowercase(bytes, nameStart, nameEnd, "expect"):
            expectsContinue = version.minor >= 1
                && ASCII.equalsLowercase(bytes, value.lowerBound, value.upperBound, "100-continue")
        case 10 where ASCII.equalsLowercase(bytes, nameStart, nameEnd, "connection"):
            noteConnection(bytes, value)
        case 14 where ASCII.equalsLowercase(bytes, nameStart, nameEnd, "content-length"):
            try noteContentLength(bytes, value)
        case 12 where ASCII.equalsLowercase(bytes, nameStart, nameEnd, "content-type"):
            contentTypeCount += 1
        case 17 where ASCII.equalsLowercase(bytes, nameStart, nameEnd, "transfer-encoding"):
            try noteTransferEncoding(bytes, value)
        default:
            break
        }
        headers.append((
            name: ASCII.string(bytes, nameStart, nameEnd, highBits: 0),
            value: ASCII.string(bytes, value.lowerBound, value.upperBound, highBits: highBits)))
    }

    /// Rules that need every field.
    mutating func finish() throws(ScanStop) {
        if hostCount > 1 { throw .bad("more than one Host header") }
        if hostCount == 0, version.minor >= 1 { throw .bad("missing Host header") }
        if contentTypeCount > 1 { throw .bad("more than one Content-Type header") }
        guard hasTransferEncoding else { return }
        if version.minor == 0 { throw .bad("Transfer-Encoding in an HTTP/1.0 request") }
        if contentLength != nil { throw .bad("Content-Length with Transfer-Encoding") }
        // RFC 9112 §6.3: chunked must be the final coding, and is applied once at most.
        if !lastCodingIsChunked || chunkedCount > 1 { throw .bad("chunked is not the final transfer coding") }
        if otherCoding { throw .failure(.notImplemented("unsupported transfer coding")) }
        isChunked = true
    }

    // MARK: - Framing fields

    /// RFC 9112 §3.2: a Host value that is no `uri-host [":" port]` is a 400, so a space, `/`, `@`,
    /// `?`, `#`, a backslash, quotes or non-ASCII bytes never reach the app as a host name.
    private func checkHost(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) throws(ScanStop) {
        guard HostSyntax.isValidHost(bytes, value) else { throw .bad("invalid Host header") }
    }

    /// `1*DIGIT`, or a list of identical values (`5, 5`); repeated fields must agree too.
    private mutating func noteContentLength(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) throws(ScanStop) {
        var elements = ListElements(bytes: bytes, range: value)
        var any = false
        while let element = elements.next() {
            guard !element.isEmpty else { continue }
            var length = 0
            for index in element {
                let byte = bytes[index]
                guard ASCII.isDigit(byte) else { throw .bad("invalid Content-Length") }
                let (times, overflow1) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int(byte &- 0x30))
                guard !overflow1, !overflow2 else { throw .bad("Content-Length too large") }
                length = sum
            }
            if let previous = contentLength, previous != length { throw .bad("conflicting Content-Length values") }
            contentLength = length
            any = true
        }
        guard any else { throw .bad("empty Content-Length") }
    }

    private mutating func noteTransferEncoding(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) throws(ScanStop) {
        hasTransferEncoding = true
        var elements = ListElements(bytes: bytes, range: value)
        var any = false
        while let element = elements.next() {
            guard !element.isEmpty else { continue }
            any = true
            if ASCII.equalsLowercase(bytes, element.lowerBound, element.upperBound, "chunked") {
                chunkedCount += 1
                lastCodingIsChunked = true
            } else {
                lastCodingIsChunked = false
                otherCoding = true
            }
        }
        guard any else { throw .bad("empty Transfer-Encoding") }
    }

    private mutating func noteConnection(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) {
        var elements = ListElements(bytes: bytes, range: value)
        while let element = elements.next() {
            if ASCII.equalsLowercase(bytes, element.lowerBound, element.upperBound, "close") {
                connectionClose = true
            } else if ASCII.equalsLowercase(bytes, element.lowerBound, element.upperBound, "keep-alive") {
                connectionKeepAlive = true
            }
        }
    }
}

/// The elements of a comma-separated field value (`#element`), each trimmed of spaces and tabs.
struct ListElements {
    let bytes: UnsafeRawBufferPointer
    var index: Int
    let end: Int
    private var finished = false

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    mutating func next() -> Range<Int>? {
        guard !finished else { return nil }
        while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
        let start = index
        var last = index
        while index < end, bytes[index] != ASCII.comma {
            if !ASCII.isWhitespace(bytes[index]) { last = index + 1 }
            index += 1
        }
        if index < end { index += 1 } else { finished = true }
        return start..<last
    }
}
