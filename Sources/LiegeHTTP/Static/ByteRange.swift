/// A `Range: bytes=...` request header against a file of a known size (RFC 9110 §14).
public enum ByteRange: Equatable, Sendable {
    /// Send the whole file with 200: no Range, one the server ignores (bad syntax, another unit), or several.
    case whole
    /// Send `offset..<offset+length` with 206 and `Content-Range: bytes first-last/size`.
    case partial(offset: Int, length: Int)
    /// 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    public static func evaluate(_ header: String?, size: Int) -> ByteRange {
        guard var header else { return .whole }
        return header.withUTF8 { evaluate(UnsafeRawBufferPointer($0), size: size) }
    }

    private static func evaluate(_ bytes: UnsafeRawBufferPointer, size: Int) -> ByteRange {
        var index = 0
        let count = bytes.count
        while index < count, ASCII.isWhitespace(bytes[index]) { index += 1 }
        guard ASCII.equalsLowercase(bytes, index, min(count, index + 6), "bytes=") else { return .whole }
        index += 6
        if bytes[index..<count].contains(ASCII.comma) { return .whole }  // several ranges: 200, as allowed
        while index < count, ASCII.isWhitespace(bytes[index]) { index += 1 }
        var end = count
        while end > index, ASCII.isWhitespace(bytes[end - 1]) { end -= 1 }
        guard let dash = bytes[index..<end].firstIndex(of: 0x2D) else { return .whole }
        let first = number(bytes, index, dash)
        let last = number(bytes, dash + 1, end)
        switch (index == dash, dash + 1 == end) {
        case (true, true):
            return .whole
        case (true, false):  // bytes=-N: the last N bytes
            guard let suffix = last else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            let length = min(suffix, size)
            return .partial(offset: size - length, length: length)
        case (false, true):  // bytes=N-
            guard let first else { return .whole }
            guard first < size else { return .unsatisfiable }
            return .partial(offset: first, length: size - first)
        case (false, false):
            guard let first, let last, first <= last else { return .whole }
            guard first < size else { return .unsatisfiable }
            return .partial(offset: first, length: min(last, size - 1) - first + 1)
        }
    }

    /// Digits only; nil on anything else or overflow (a huge number is still a number: clamp).
    private static func number(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        guard start < end else { return nil }
        var value = 0
        for index in start..<end {
            let byte = bytes[index]
            guard ASCII.isDigit(byte) else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte &- 0x30))
            value = overflow1 || overflow2 ? Int.max : sum
        }
        return value
    }

    /// `bytes first-last/size` for a partial response.
    public static func contentRange(offset: Int, length: Int, size: Int) -> String {
        "bytes \(offset)-\(offset + length - 1)/\(size)"
    }

    /// `bytes */size` for a 416 response.
    public static func unsatisfiedRange(size: Int) -> String {
        "bytes */\(size)"
    }
}
