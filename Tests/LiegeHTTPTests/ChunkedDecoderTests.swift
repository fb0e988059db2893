import Testing
@testable import LiegeHTTP

/// Decodes `input` fed in the given piece sizes (repeating the last), returning the body,
/// the total consumed count and the last step.
func decodeChunked(_ input: [UInt8], pieces: [Int] = [Int.max], decoder: ChunkedDecoder = ChunkedDecoder())
    -> (body: [UInt8], consumed: Int, step: ChunkedDecoder.Step)
{
    var decoder = decoder
    var body: [UInt8] = []
    var offset = 0
    var pieceIndex = 0
    var step = ChunkedDecoder.Step.needMore
    while offset < input.count {
        let size = min(pieces[min(pieceIndex, pieces.count - 1)], input.count - offset)
        pieceIndex += 1
        let result = decoder.decode(Array(input[offset..<(offset + size)]), into: &body)
        offset += result.consumed
        step = result.step
        if step != .needMore { break }
        if result.consumed < size { break }
    }
    return (body, offset, step)
}

@Suite struct ChunkedDecoderTests {
    private let body = "7\r\nMozilla\r\n11;name=\"v\"\r\nDeveloper Network\r\n1\r\n \r\n0\r\nX-Trailer: yes\r\n\r\n"

    @Test func decodesChunksExtensionsAndTrailers() {
        let result = decodeChunked(bytes(body + "GET /next"))
        #expect(result.step == .done)
        #expect(result.body == bytes("MozillaDeveloper Network "))
        #expect(result.consumed == body.utf8.count)
    }

    @Test func everySplitPointAndByteByByte() {
        let input = bytes(body)
        for cut in 1..<input.count {
            let result = decodeChunked(input, pieces: [cut, input.count])
            #expect(result.step == .done, "split at \(cut)")
            #expect(result.body == bytes("MozillaDeveloper Network "), "split at \(cut)")
            #expect(result.consumed == input.count)
        }
        let single = decodeChunked(input, pieces: [1])
        #expect(single.step == .done)
        #expect(single.body == bytes("MozillaDeveloper Network "))
    }

    @Test func needsMoreUntilTheFinalLine() {
        let input = bytes(body)
        for cut in 0..<input.count {
            var decoder = ChunkedDecoder()
            var output: [UInt8] = []
            let result = decoder.decode(Array(input[0..<cut]), into: &output)
            #expect(result.step == .needMore, "prefix \(cut)")
            #expect(result.consumed == cut)
            #expect(!decoder.isDone)
        }
    }

    @Test func bareLFAndUppercaseHexAndLeadingZeros() {
        let result = decodeChunked(bytes("0A\n0123456789\n0000\n\n"))
        #expect(result.step == .done)
        #expect(result.body == bytes("0123456789"))
    }

    @Test func doneIsSticky() {
        var decoder = ChunkedDecoder()
        var output: [UInt8] = []
        #expect(decoder.decode(bytes("0\r\n\r\n"), into: &output).step == .done)
        let again = decoder.decode(bytes("1\r\nx\r\n"), into: &output)
        #expect(again.consumed == 0)
        #expect(again.step == .done)
        #expect(output.isEmpty)
    }

    @Test(arguments: [
        "x\r\n", "\r\n", ";ext\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5 \r\nhello\r\n0\r\n\r\n", "-5\r\n", "+5\r\n", "0x5\r\n",
        "5\rhello", "5\r\nhelloX\r\n", "5\r\nhello\rX", "5\r\nhello\r\n0\r\n\rX", "1;a\u{0}b\r\n",
        "5\r\nhello\r\n0\r\nBad\u{1}Trailer\r\n\r\n", "5\r\nhello\r\n0\r\nT: v\rX",
        "10000000000000000\r\n",  // 2^64: overflow
        "8000000000000000\r\n",  // 2^63: overflow
    ])
    func rejects(input: String) {
        let result = decodeChunked(bytes(input))
        #expect(isBadRequest(result.step), "\(input.debugDescription)")
    }

    @Test func largestSizeIsAccepted() {
        let result = decodeChunked(bytes("7fffffffffffffff\r\nabc"))
        #expect(result.step == .needMore)
        #expect(result.body == bytes("abc"))
    }

    @Test func failureIsSticky() {
        var decoder = ChunkedDecoder()
        var output: [UInt8] = []
        let first = decoder.decode(bytes("zz"), into: &output)
        #expect(isBadRequest(first.step))
        #expect(first.consumed == 1)
        #expect(isBadRequest(decoder.decode(bytes("0\r\n\r\n"), into: &output).step))
    }

    @Test func sizeLineAndTrailerLimits() {
        let decoder = ChunkedDecoder(maxChunkSizeLineLength: 8, maxTrailerSize: 20)
        #expect(decodeChunked(bytes("5;abc\r\nhello\r\n0\r\n\r\n"), decoder: decoder).step == .done)
        #expect(isBadRequest(decodeChunked(bytes("5;abcdefgh\r\n"), decoder: decoder).step))
        #expect(isBadRequest(decodeChunked(bytes("000000005\r\n"), decoder: decoder).step))
        let trailer = "0\r\nX: " + String(repeating: "t", count: 30) + "\r\n\r\n"
        #expect(decodeChunked(bytes(trailer), decoder: decoder).step == .failure(.headTooLarge))
    }

    private func isBadRequest(_ step: ChunkedDecoder.Step) -> Bool {
        if case .failure(let error) = step { return error.status == 400 }
        return false
    }
}
