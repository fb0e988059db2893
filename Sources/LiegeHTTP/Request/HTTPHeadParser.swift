/// A strict HTTP/1.x request-head parser (RFC 9112, rejecting what llhttp rejects).
///
/// Stateless: give it everything read so far on the connection; it answers `needMore` until the
/// blank line that ends the head has arrived, and fails as soon as a complete line is invalid.
/// It never looks past `maxHeadSize` bytes: a request line that does not end within them is a
/// `414`, a head that does not end within them a `431`. A head with more than `maxHeaderFields`
/// field lines is a `431` as well, as soon as the line over the limit has arrived.
public struct HTTPHeadParser: Sendable {
    public var maxHeadSize: Int
    /// Most field lines in a head; 0 = no limit but `maxHeadSize`.
    public var maxHeaderFields: Int

    /// `maxHeadSize` is the `buffer-size` option (65535 by default), `maxHeaderFields` the
    /// `limit-request-fields` option (100 by default, 0 = no limit).
    public init(maxHeadSize: Int = 65535, maxHeaderFields: Int = 100) {
        self.maxHeadSize = max(16, maxHeadSize)
        self.maxHeaderFields = max(0, maxHeaderFields)
    }

    public func parse(_ bytes: UnsafeRawBufferPointer) -> HeadParseResult {
        var scanner = HeadScanner(bytes: bytes, end: min(bytes.count, maxHeadSize),
                                  maxFields: maxHeaderFields == 0 ? Int.max : maxHeaderFields)
        do {
            let head = try scanner.scanHead()
            return .complete(head, consumed: scanner.index)
        } catch {
            switch error {
            case .failure(let failure):
                return .failure(failure)
            case .incomplete:
                guard bytes.count >= maxHeadSize else { return .needMore }
                return .failure(scanner.requestLineDone ? .headTooLarge : .uriTooLong)
            }
        }
    }

    /// Whether the bytes hold an empty line (`\n\n` or `\n\r\n`) ending at or after `searchFrom`.
    ///
    /// `parse` starts over on every call, so a client trickling a large head one byte at a time
    /// would cost quadratic time. A reader can instead call `parse` on the first read, then only
    /// when this finds the end of the head among the new bytes (pass the previous buffer count) or
    /// the buffer has reached `maxHeadSize`. A hit can be a false positive (leading empty lines);
    /// `parse` then just answers `needMore`.
    public static func mayHoldCompleteHead(_ bytes: UnsafeRawBufferPointer, searchFrom: Int) -> Bool {
        var index = max(0, searchFrom - 2)
        while index < bytes.count {
            if bytes[index] == ASCII.lf {
                if index + 1 < bytes.count, bytes[index + 1] == ASCII.lf { return true }
                if index + 2 < bytes.count, bytes[index + 1] == ASCII.cr, bytes[index + 2] == ASCII.lf { return true }
            }
            index += 1
        }
        return false
    }

    /// Convenience for tests and callers holding an array.
    public func parse(_ bytes: [UInt8]) -> HeadParseResult {
        bytes.withUnsafeBytes { parse($0) }
    }
}

/// Why scanning stopped early.
enum ScanStop: Error {
    /// The bytes end before the head does.
    case incomplete
    case failure(HTTPError)

    static func bad(_ reason: String) -> ScanStop { .failure(.badRequest(reason)) }
}
