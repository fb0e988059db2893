/// Decodes one request body as it arrives: counted by Content-Length, or de-chunked. Sans-I/O:
/// bytes in, body bytes and a step out.
public struct BodyDecoder: Sendable {
    public enum Step: Sendable, Equatable {
        case needMore
        case done
        case failure(HTTPError)
    }

    private enum Framing: Sendable {
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
    }

    private var framing: Framing
    /// Body bytes produced so far.
    public private(set) var decodedBytes = 0

    /// `maxTrailerSize` and `maxTrailerFields` bound a chunked body's trailer section (fields 0: only its size does).
    public init(contentLength: Int?, chunked: Bool, maxTrailerSize: Int = 65535, maxTrailerFields: Int = 100) {
        framing = chunked
            ? .chunked(ChunkedDecoder(maxTrailerSize: maxTrailerSize,
                                      maxTrailerFields: maxTrailerFields == 0 ? Int.max : maxTrailerFields))
            : .length(remaining: contentLength ?? 0)
    }

    /// True once the whole body went through.
    public var isComplete: Bool {
        switch framing {
        case .length(let remaining): return remaining == 0
        case .chunked(let decoder): return decoder.isDone
        }
    }

    /// Decodes from `input`, appending body bytes to `output` (unless `discard`), and says how many
    /// input bytes belonged to the body. Stops at the end of the body: what follows is the next request.
    public mutating func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], discard: Bool = false)
        -> (consumed: Int, step: Step) {
        switch framing {
        case .length(let remaining):
            let take = min(remaining, input.count)
            if take > 0, !discard { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<take])) }
            framing = .length(remaining: remaining - take)
            decodedBytes += take
            return (take, remaining - take == 0 ? .done : .needMore)
        case .chunked(var decoder):
            let before = output.count
            let result = decoder.decode(input, into: &output)
            framing = .chunked(decoder)
            decodedBytes += output.count - before
            if discard { output.removeSubrange(before...) }
            switch result.step {
            case .needMore: return (result.consumed, .needMore)
            case .done: return (result.consumed, .done)
            case .failure(let error): return (result.consumed, .failure(error))
            }
        }
    }
}
