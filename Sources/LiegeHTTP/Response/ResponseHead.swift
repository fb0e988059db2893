/// Writing HTTP/1.x response heads.
///
/// Strings are written as ISO-8859-1 (PEP 3333: header values are latin-1 native strings):
/// ASCII as is, U+0080...U+00FF as one byte, anything above as `?`. CR, LF and NUL never reach the
/// wire (they become spaces); check with `isValidField` first to reject such headers instead.
public struct ResponseHead {
    /// The interim answer to `Expect: 100-continue`, sent before reading the body.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Writes `"HTTP/1.1 <status>\r\n"`, the app's headers in order, then — unless the app set them
    /// itself (names compared case-insensitively) — `Date`, `Server`, `Content-Length` (when
    /// `contentLength` is given), `Transfer-Encoding: chunked` (when `chunked`), `Connection`
    /// (`close` when not `keepAlive`; `keep-alive` for a kept HTTP/1.0 connection), and the blank line.
    public static func serialize(
        version: HTTPVersion, status: String, headers: [(name: String, value: String)],
        date: String?, server: String?, contentLength: Int?, chunked: Bool, keepAlive: Bool,
        into buffer: inout [UInt8]
    ) {
        serialize(version: version, status: status, fields: [], extra: headers, date: date, server: server,
                  contentLength: contentLength, chunked: chunked, keepAlive: keepAlive, into: &buffer)
    }

    /// The same head with the app's fields as bytes (ASGI), checked by the caller (no CR, LF or NUL),
    /// written as they are; `extra` (text: WSGI headers, Liege's add-header) follows them.
    public static func serialize(
        version: HTTPVersion, status: String, fields: [(name: [UInt8], value: [UInt8])],
        extra: [(name: String, value: String)], date: String?, server: String?, contentLength: Int?, chunked: Bool,
        keepAlive: Bool, into buffer: inout [UInt8]
    ) {
        var present = PresentHeaders()
        appendStatusLine(version: version, status: status, into: &buffer)
        for (name, value) in fields {
            present.note(name)
            buffer.append(contentsOf: name)
            buffer.append(0x3A)
            buffer.append(0x20)
            buffer.append(contentsOf: value)
            appendCRLF(&buffer)
        }
        for (name, value) in extra {
            present.note(name)
            appendLatin1(name, into: &buffer)
            buffer.append(0x3A)
            buffer.append(0x20)
            appendLatin1(value, into: &buffer)
            appendCRLF(&buffer)
        }
        appendDefaults(present, version: version, date: date, server: server, contentLength: contentLength,
                       chunked: chunked, keepAlive: keepAlive, into: &buffer)
    }

    /// What Liege adds after the app's fields (those it did not set itself), and the blank line.
    private static func appendDefaults(_ present: PresentHeaders, version: HTTPVersion, date: String?, server: String?,
                                       contentLength: Int?, chunked: Bool, keepAlive: Bool,
                                       into buffer: inout [UInt8]) {
        if let date, !present.date { appendField("Date: ", date, into: &buffer) }
        if let server, !present.server { appendField("Server: ", server, into: &buffer) }
        if let contentLength, !present.contentLength {
            appendStatic("Content-Length: ", into: &buffer)
            Digits.appendDecimal(contentLength, to: &buffer)
            appendCRLF(&buffer)
        }
        if chunked, !present.transferEncoding { appendStatic("Transfer-Encoding: chunked\r\n", into: &buffer) }
        if !present.connection {
            if !keepAlive {
                appendStatic("Connection: close\r\n", into: &buffer)
            } else if version.major == 1, version.minor == 0 {
                appendStatic("Connection: keep-alive\r\n", into: &buffer)
            }
        }
        appendCRLF(&buffer)
    }

    /// A whole response with a short plain-text body, for error pages (400, 404, 500, 503...).
    /// `body` empty means the status line text (`"404 Not Found"`) followed by a newline.
    public static func simple(status: Int, version: HTTPVersion, body: String, keepAlive: Bool, date: String?) -> [UInt8] {
        let text = body.isEmpty ? HTTPStatus.line(status) + "\n" : body
        var buffer: [UInt8] = []
        buffer.reserveCapacity(160 + text.utf8.count)
        serialize(
            version: version, status: HTTPStatus.line(status),
            headers: [("Content-Type", "text/plain; charset=utf-8")],
            date: date, server: "liege", contentLength: text.utf8.count, chunked: false,
            keepAlive: keepAlive, into: &buffer)
        buffer.append(contentsOf: text.utf8)
        return buffer
    }

    /// A header the app may send: the name a token, the value without controls other than tab
    /// (so no CR, LF or NUL) and only characters up to U+00FF.
    public static func isValidField(name: String, value: String) -> Bool {
        guard !name.isEmpty, name.utf8.allSatisfy(ASCII.isToken) else { return false }
        return value.unicodeScalars.allSatisfy { scalar in
            let code = scalar.value
            return code <= 0xFF && (code >= 0x20 || code == 0x09) && code != 0x7F
        }
    }

    // MARK: - Writing

    private static func appendStatusLine(version: HTTPVersion, status: String, into buffer: inout [UInt8]) {
        appendStatic("HTTP/", into: &buffer)
        Digits.appendDecimal(version.major, to: &buffer)
        buffer.append(0x2E)
        Digits.appendDecimal(version.minor, to: &buffer)
        buffer.append(0x20)
        appendLatin1(status, into: &buffer)
        appendCRLF(&buffer)
    }

    private static func appendField(_ prefix: StaticString, _ value: String, into buffer: inout [UInt8]) {
        appendStatic(prefix, into: &buffer)
        appendLatin1(value, into: &buffer)
        appendCRLF(&buffer)
    }

    @inline(__always)
    private static func appendCRLF(_ buffer: inout [UInt8]) {
        buffer.append(0x0D)
        buffer.append(0x0A)
    }

    @inline(__always)
    static func appendStatic(_ text: StaticString, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// ASCII fast path; other characters one byte each (latin-1), `?` above U+00FF.
    static func appendLatin1(_ text: String, into buffer: inout [UInt8]) {
        var utf8 = text
        let clean: Bool = utf8.withUTF8 { bytes in
            var high: UInt8 = 0
            for byte in bytes {
                high |= byte
                if byte < 0x20 && byte != 0x09 { return false }
            }
            guard high < 0x80 else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        guard !clean else { return }
        for scalar in text.unicodeScalars {
            let code = scalar.value
            switch code {
            case 0x00, 0x0A, 0x0D: buffer.append(0x20)
            case 0...0xFF: buffer.append(UInt8(code))
            default: buffer.append(0x3F)
            }
        }
    }
}

/// Which of the headers Liege may add the app has already set.
private struct PresentHeaders {
    var date = false
    var server = false
    var contentLength = false
    var transferEncoding = false
    var connection = false

    mutating func note(_ name: String) {
        note(name.utf8)
    }

    mutating func note<Name: Collection<UInt8>>(_ name: Name) {
        switch name.count {
        case 4: date = date || HeaderName.matches(name, "date")
        case 6: server = server || HeaderName.matches(name, "server")
        case 10: connection = connection || HeaderName.matches(name, "connection")
        case 14: contentLength = contentLength || HeaderName.matches(name, "content-length")
        case 17: transferEncoding = transferEncoding || HeaderName.matches(name, "transfer-encoding")
        default: break
        }
    }
}
