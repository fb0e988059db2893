/// Incremental decoder of a chunked request body (RFC 9112 §7.1), strict like llhttp:
/// the size is hex digits only (then an optional `;extension`), no spaces, no overflow, and every
/// chunk's data ends with CRLF. Lines may end with CRLF or LF; a bare CR is an error.
///
/// Feed the bytes as they arrive, in pieces of any size. `decode` stops right after the final
/// CRLF (`done`), so the bytes of a pipelined request that follows are not consumed. Trailer
/// fields are checked (`TrailerSection`: syntax, limits, fields no trailer may carry) and
/// discarded. After `failure` every call returns the same failure.
public struct ChunkedDecoder: Sendable {
    public enum Step: Sendable, Equatable {
        case needMore
        case done
        case failure(HTTPError)
    }

    private enum State: Sendable {
        case size, sizeExtension, sizeLF
        case data, dataCR, dataLF
        case trailer
        case done, failed
    }

    public let maxChunkSizeLineLength: Int
    public let maxTrailerSize: Int
    public let maxTrailerFields: Int
    private var state = State.size
    /// Set with `state == .failed`.
    private var failure = HTTPError.badRequest("invalid chunked body")
    /// While reading a size line: the size so far; while reading data: the bytes left.
    private var remaining = 0
    private var sizeDigits = 0
    private var lineLength = 0
    private var trailer: TrailerSection

    /// `maxChunkSizeLineLength` bounds a size line with its extensions, `maxTrailerSize` the
    /// whole trailer section (give it `buffer-size`), `maxTrailerFields` its field count (give it
    /// `limit-request-fields`, 0 = no limit); longer size lines fail with 400, trailers with 431.
    public init(maxChunkSizeLineLength: Int = 1024, maxTrailerSize: Int = 65535, maxTrailerFields: Int = 100) {
        self.maxChunkSizeLineLength = maxChunkSizeLineLength
        self.maxTrailerSize = maxTrailerSize
        self.maxTrailerFields = maxTrailerFields
        trailer = TrailerSection(maxSize: maxTrailerSize, maxFields: maxTrailerFields)
    }

    /// True once the final CRLF has been consumed.
    public var isDone: Bool { state == .done }

    /// Decodes as much of `input` as possible, appending body bytes to `output`.
    public mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> (consumed: Int, step: Step) {
        var index = 0
        let count = input.count
        while index < count {
            switch state {
            case .done:
                return (index, .done)
            case .failed:
                return (index, .failure(failure))
            case .data:
                let take = min(remaining, count - index)
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                remaining -= take
                if remaining == 0 { state = .dataCR }
            default:
                step(input[index])
                index += 1
            }
        }
        switch state {
        case .done: return (index, .done)
        case .failed: return (index, .failure(failure))
        default: return (index, .needMore)
        }
    }

    public mutating func decode(_ input: [UInt8], into output: inout [UInt8]) -> (consumed: Int, step: Step) {
        input.withUnsafeBytes { decode($0, into: &output) }
    }

    /// Advances over one byte outside chunk data.
    private mutating func step(_ byte: UInt8) {
        switch state {
        case .size:
            lineLength += 1
            guard lineLength <= maxChunkSizeLineLength else { return fail("chunk size line too long") }
            if let digit = ASCII.hexValue(byte) {
                guard remaining <= Int.max >> 4 else { return fail("chunk size too large") }
                remaining = remaining << 4 | digit
                sizeDigits += 1
                return
            }
            guard sizeDigits > 0 else { return fail("invalid chunk size") }
            switch byte {
            case ASCII.semicolon: state = .sizeExtension
            case ASCII.cr: state = .sizeLF
            case ASCII.lf: endSizeLine()
            default: fail("invalid chunk size")
            }
        case .sizeExtension:
            lineLength += 1
            guard lineLength <= maxChunkSizeLineLength else { return fail("chunk size line too long") }
            switch byte {
            case ASCII.cr: state = .sizeLF
            case ASCII.lf: endSizeLine()
            case ASCII.tab: break
            case 0..<0x20, 0x7F: fail("invalid chunk extension")
            default: break
            }
        case .sizeLF:
            byte == ASCII.lf ? endSizeLine() : fail("bare CR in chunk size line")
        case .dataCR:
            switch byte {
            case ASCII.cr: state = .dataLF
            case ASCII.lf: startSizeLine()
            default: fail("missing CRLF after chunk data")
            }
        case .dataLF:
            byte == ASCII.lf ? startSizeLine() : fail("missing CRLF after chunk data")
        case .trailer:
            switch trailer.step(byte) {
            case .more: break
            case .done: state = .done
            case .failure(let error): fail(error)
            }
        case .data, .done, .failed:
            break
        }
    }

    private mutating func endSizeLine() {
        state = remaining == 0 ? .trailer : .data
    }

    private mutating func startSizeLine() {
        state = .size
        remaining = 0
        sizeDigits = 0
        lineLength = 0
    }

    private mutating func fail(_ reason: String) {
        fail(.badRequest(reason))
    }

    private mutating func fail(_ error: HTTPError) {
        failure = error
        state = .failed
    }
}
