import LiegeHTTP

/// Reads one request's body off the connection: bounded by Content-Length, or de-chunked.
struct RequestBody {
    enum Framing {
        case length(remaining: Int)
        case chunked(ChunkedDecoder, decoded: [UInt8], finished: Bool)
    }

    enum Failure: Error {
        /// The client closed or stalled before sending the declared body.
        case incomplete
        /// The chunked coding was malformed.
        case malformed(HTTPError)
    }

    private(set) var framing: Framing
    private(set) var bytesRead = 0

    init(contentLength: Int?, chunked: Bool) {
        if chunked {
            framing = .chunked(ChunkedDecoder(), decoded: [], finished: false)
        } else {
            framing = .length(remaining: contentLength ?? 0)
        }
    }

    var isComplete: Bool {
        switch framing {
        case .length(let remaining): return remaining == 0
        case .chunked(_, let decoded, let finished): return finished && decoded.isEmpty
        }
    }

    /// Reads up to `buffer.count` body bytes; 0 = end of body.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer, input: InputBuffer, stream: ByteStream) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        switch framing {
        case .length(let remaining):
            guard remaining > 0 else { return 0 }
            var got = input.take(into: buffer, limit: remaining)
            if got == 0 {
                let window = UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, remaining)])
                do {
                    got = try stream.read(into: window)
                } catch {
                    throw Failure.incomplete
                }
                if got == 0 { throw Failure.incomplete }
            }
            framing = .length(remaining: remaining - got)
            bytesRead += got
            return got
        case .chunked(var decoder, var decoded, var finished):
            while decoded.isEmpty, !finished {
                if input.isEmpty {
                    let got: Int
                    do {
                        got = try input.fill(from: stream)
                    } catch {
                        throw Failure.incomplete
                    }
                    if got == 0 { throw Failure.incomplete }
                }
                let (consumed, step) = decoder.decode(input.readable, into: &decoded)
                input.consume(consumed)
                switch step {
                case .done: finished = true
                case .needMore: continue
                case .failure(let error):
                    framing = .chunked(decoder, decoded: [], finished: true)
                    throw Failure.malformed(error)
                }
            }
            let count = min(buffer.count, decoded.count)
            if count > 0, let target = buffer.baseAddress {
                decoded.withUnsafeBytes { source in
                    if let base = source.baseAddress { target.copyMemory(from: base, byteCount: count) }
                }
                decoded.removeFirst(count)
            }
            framing = .chunked(decoder, decoded: decoded, finished: finished)
            bytesRead += count
            return count
        }
    }

    /// Reads and drops what is left of the body, up to `limit` bytes; false when more remained
    /// (or the body was broken), and the connection must then be closed instead of reused.
    mutating func discard(limit: Int, input: InputBuffer, stream: ByteStream) -> Bool {
        var scratch = [UInt8](repeating: 0, count: 16384)
        var dropped = 0
        while !isComplete {
            let got = (try? scratch.withUnsafeMutableBytes { try read(into: $0, input: input, stream: stream) }) ?? -1
            if got <= 0 { return got == 0 && isComplete }
            dropped += got
            if dropped > limit { return false }
        }
        return true
    }
}
