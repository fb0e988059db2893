import Testing
@testable import LiegeHTTP

/// Drives an `HTTPRequestReader` the way the worker's loop does, over byte strings: a buffer of
/// unconsumed bytes, events out. No sockets.
private struct ReaderHarness {
    var reader = HTTPRequestReader(parser: HTTPHeadParser(maxHeadSize: 1024), discardLimit: 64)
    var buffer: [UInt8] = []
    var body: [UInt8] = []

    enum Seen: Equatable {
        case head(String)
        case body(String)
        case endOfBody
        case needData
        case paused
        case failed(Int)
        case bodyIncomplete
        case closed
    }

    /// Adds `text` to the buffer and collects events until the reader needs data, pauses or ends.
    mutating func feed(_ text: String) -> [Seen] {
        buffer += Array(text.utf8)
        return drain()
    }

    mutating func drain() -> [Seen] {
        var seen: [Seen] = []
        while true {
            let (consumed, event) = buffer.withUnsafeBytes { reader.next($0, bodyOutput: &body) }
            buffer.removeFirst(consumed)
            switch event {
            case .start(let head): seen.append(.head("\(head.method) \(head.target)"))
            case .body:
                seen.append(.body(String(decoding: body, as: UTF8.self)))
                body.removeAll()
            case .endOfBody:
                if !body.isEmpty { seen.append(.body(String(decoding: body, as: UTF8.self))) }
                body.removeAll()
                seen.append(.endOfBody)
            case .needData:
                seen.append(.needData)
                return seen
            case .paused:
                seen.append(.paused)
                return seen
            case .failed(let error):
                seen.append(.failed(error.status))
                return seen
            case .bodyIncomplete:
                seen.append(.bodyIncomplete)
                return seen
            case .closed:
                seen.append(.closed)
                return seen
            }
        }
    }
}

@Suite struct HTTPRequestReaderTests {
    @Test func aRequestWithoutBodyPausesUntilItsResponseIsDone() {
        var harness = ReaderHarness()
        #expect(harness.feed("GET /a HTTP/1.1\r\nHost: x\r\n\r\n") == [.head("GET /a"), .paused])
        #expect(harness.reader.phase == .responding)
        harness.reader.responseFinished(reuse: true)
        #expect(harness.reader.phase == .idle)
        #expect(harness.drain() == [.needData])
    }

    @Test func pipelinedRequestsComeOneAtATimeInOrder() {
        var harness = ReaderHarness()
        let wire = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(harness.feed(wire) == [.head("GET /1"), .paused])
        #expect(harness.drain() == [.paused])   // nothing more until the first response is done
        harness.reader.responseFinished(reuse: true)
        #expect(harness.drain() == [.head("POST /2"), .body("abc"), .endOfBody, .paused])
        harness.reader.responseFinished(reuse: true)
        #expect(harness.drain() == [.head("GET /3"), .paused])
        harness.reader.responseFinished(reuse: true)
        #expect(harness.drain() == [.needData])
        #expect(harness.buffer.isEmpty)
    }

    @Test func aHeadInPiecesIsReportedOnceWhole() {
        var harness = ReaderHarness()
        #expect(harness.feed("GET /slow HT") == [.needData])
        #expect(harness.reader.phase == .head)
        #expect(harness.feed("TP/1.1\r\nHost: x\r\n") == [.needData])
        #expect(harness.feed("\r\n") == [.head("GET /slow"), .paused])
    }

    @Test func chunkedBodyArrivesAsItIsDecoded() {
        var harness = ReaderHarness()
        #expect(harness.feed("POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab")
            == [.head("POST /u"), .body("ab"), .needData])
        #expect(harness.reader.phase == .body)
        #expect(harness.feed("c\r\n0\r\n\r\n") == [.body("c"), .endOfBody, .paused])
        #expect(harness.reader.bodyBytesRead == 3)
    }

    @Test func anUnreadBodyIsDroppedBeforeTheNextRequest() {
        var harness = ReaderHarness()
        #expect(harness.feed("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345")
            == [.head("POST /big"), .body("12345"), .needData])
        // The app answered without reading: the rest of the body is dropped, then the next request.
        harness.reader.responseFinished(reuse: true)
        #expect(harness.reader.phase == .discarding)
        #expect(harness.feed("67890GET /next HTTP/1.1\r\nHost: x\r\n\r\n") == [.head("GET /next"), .paused])
    }

    @Test func tooMuchUnreadBodyClosesInstead() {
        var harness = ReaderHarness()
        _ = harness.feed("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        harness.reader.responseFinished(reuse: true)
        #expect(harness.feed(String(repeating: "z", count: 100)) == [.closed])
    }

    @Test func noReuseEndsTheConnection() {
        var harness = ReaderHarness()
        _ = harness.feed("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\n\r\n")
        harness.reader.responseFinished(reuse: false)
        #expect(harness.drain() == [.closed])
    }

    @Test func peerClosingBetweenRequestsOrMidHeadIsQuiet() {
        var idle = ReaderHarness()
        idle.reader.peerDidClose()
        #expect(idle.drain() == [.closed])
        var partial = ReaderHarness()
        #expect(partial.feed("GET / HT") == [.needData])
        partial.reader.peerDidClose()
        #expect(partial.drain() == [.closed])
    }

    @Test func peerClosingMidBodyIsAnIncompleteBody() {
        var harness = ReaderHarness()
        #expect(harness.feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nabc")
            == [.head("POST /"), .body("abc"), .needData])
        harness.reader.peerDidClose()
        #expect(harness.drain() == [.bodyIncomplete])
        #expect(harness.reader.phase == .responding)
        harness.reader.responseFinished(reuse: true)
        #expect(harness.reader.phase == .closed)
    }

    @Test func malformedHeadAndBodyFailWithTheirStatus() {
        var head = ReaderHarness()
        #expect(head.feed("GET / HTTP/1.1\r\nBad Header\r\n\r\n") == [.failed(400)])
        #expect(head.reader.phase == .closed)
        var chunk = ReaderHarness()
        #expect(chunk.feed("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
            == [.head("POST /"), .failed(400)])
        var version = ReaderHarness()
        #expect(version.feed("GET / HTTP/2.0\r\n\r\n") == [.failed(505)])
    }

    @Test func aHeadLargerThanTheBufferIs431() {
        var harness = ReaderHarness()
        #expect(harness.feed("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 1100)) == [.failed(431)])
    }
}

@Suite struct UwsgiRequestReaderTests {
    private func packet(_ variables: [(String, String)]) -> [UInt8] {
        var block: [UInt8] = []
        for (name, value) in variables {
            block += [UInt8(name.utf8.count & 0xFF), UInt8(name.utf8.count >> 8)] + Array(name.utf8)
            block += [UInt8(value.utf8.count & 0xFF), UInt8(value.utf8.count >> 8)] + Array(value.utf8)
        }
        return [0, UInt8(block.count & 0xFF), UInt8(block.count >> 8), 0] + block
    }

    @Test func aPacketThenItsBodyThenDone() {
        var reader = UwsgiRequestReader(parser: UwsgiPacketParser())
        var body: [UInt8] = []
        var wire = packet([("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "4")])
        let head = wire.withUnsafeBytes { reader.next($0, bodyOutput: &body) }
        guard case .start(let start) = head.event else {
            Issue.record("expected a request, got \(head.event)")
            return
        }
        #expect(start.request.value("REQUEST_METHOD") == Array("POST".utf8))
        #expect(start.contentLength == 4)
        wire.removeFirst(head.consumed)
        wire += Array("dataEXTRA".utf8)
        let rest = wire.withUnsafeBytes { reader.next($0, bodyOutput: &body) }
        guard case .endOfBody = rest.event else {
            Issue.record("expected the end of the body, got \(rest.event)")
            return
        }
        #expect(rest.consumed == 4)
        #expect(body == Array("data".utf8))
        reader.responseFinished()
        #expect(reader.phase == .closed)
    }

    @Test func aBadModifierIs501() {
        var reader = UwsgiRequestReader(parser: UwsgiPacketParser())
        var body: [UInt8] = []
        let wire: [UInt8] = [5, 0, 0, 0]
        let result = wire.withUnsafeBytes { reader.next($0, bodyOutput: &body) }
        guard case .failed(let error) = result.event else {
            Issue.record("expected a failure, got \(result.event)")
            return
        }
        #expect(error.status == 501)
    }
}
