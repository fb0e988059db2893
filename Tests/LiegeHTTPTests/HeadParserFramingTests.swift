import Testing
@testable import LiegeHTTP

/// Incremental feeding, pipelining and the size limits.
@Suite struct HeadParserFramingTests {
    private let request = "\r\nPOST /upload?id=7 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\nX-Long: "
        + String(repeating: "v", count: 40) + "\r\nConnection: keep-alive\r\n\r\n"

    @Test func everySplitPointNeedsMoreThenCompletes() {
        let all = bytes(request)
        let parser = HTTPHeadParser(maxHeadSize: 4096)
        for cut in 0..<all.count {
            let result = parser.parse(Array(all[0..<cut]))
            #expect(isNeedMore(result), "prefix of \(cut) bytes")
        }
        guard case .complete(let head, let consumed) = parser.parse(all) else {
            Issue.record("complete request did not parse")
            return
        }
        #expect(consumed == all.count)
        #expect(head.contentLength == 5)
        #expect(head.path == "/upload")
    }

    @Test func everySplitPointWithBareLF() {
        let all = bytes("GET / HTTP/1.1\nHost: h\n\n")
        for cut in 0..<all.count {
            #expect(isNeedMore(HTTPHeadParser().parse(Array(all[0..<cut]))), "prefix of \(cut) bytes")
        }
        #expect(failureStatus(HTTPHeadParser().parse(all)) == 0)
    }

    @Test func pipelinedRequestsReportTheirOwnLength() {
        let first = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
        let second = "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n"
        let third = "GET /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        var buffer = bytes(first + second + "abc" + third)
        var paths: [String] = []
        let parser = HTTPHeadParser()
        while !buffer.isEmpty {
            guard case .complete(let head, let consumed) = parser.parse(buffer) else {
                Issue.record("pipelined request did not parse")
                return
            }
            paths.append(head.path)
            buffer.removeFirst(consumed + (head.contentLength ?? 0))
        }
        #expect(paths == ["/one", "/two", "/three"])
        guard case .complete(_, let consumed) = parser.parse(bytes(first + second)) else {
            Issue.record("expected complete")
            return
        }
        #expect(consumed == first.utf8.count)
    }

    @Test func requestLineLongerThanTheLimitIs414() {
        let line = "GET /" + String(repeating: "a", count: 200) + " HTTP/1.1\r\nHost: h\r\n\r\n"
        #expect(failureStatus(line, maxHeadSize: 100) == 414)
        // still incomplete and not yet over the limit: wait
        #expect(isNeedMore(parseHead("GET /" + String(repeating: "a", count: 90), maxHeadSize: 100)))
        // exactly at the limit without an end: 414 (it cannot end inside the limit)
        #expect(failureStatus("GET /" + String(repeating: "a", count: 95), maxHeadSize: 100) == 414)
    }

    @Test func headLargerThanTheLimitIs431() {
        let big = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "b", count: 200) + "\r\n\r\n"
        #expect(failureStatus(big, maxHeadSize: 100) == 431)
        let many = "GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "A: b\r\n", count: 50)
        #expect(failureStatus(many, maxHeadSize: 100) == 431)
        #expect(isNeedMore(parseHead("GET / HTTP/1.1\r\nHost: h\r\n", maxHeadSize: 100)))
    }

    @Test func headExactlyAtTheLimitIsAccepted() {
        let text = paddedHead(length: 100)
        #expect(text.utf8.count == 100)
        guard case .complete(_, let consumed) = parseHead(text, maxHeadSize: 100) else {
            Issue.record("a 100-byte head under a 100-byte limit must parse")
            return
        }
        #expect(consumed == 100)
        #expect(failureStatus(paddedHead(length: 101), maxHeadSize: 100) == 431)
    }

    @Test func headTerminatorHint() {
        let all = bytes(request)
        let end = all.count
        all.withUnsafeBytes { raw in
            #expect(HTTPHeadParser.mayHoldCompleteHead(raw, searchFrom: 0))
            // the terminator straddles the previous read: still found
            for previous in (end - 4)..<end {
                #expect(HTTPHeadParser.mayHoldCompleteHead(raw, searchFrom: previous), "from \(previous)")
            }
            #expect(!HTTPHeadParser.mayHoldCompleteHead(raw, searchFrom: end), "no new bytes")
            let withoutEnd = UnsafeRawBufferPointer(rebasing: raw[0..<(end - 1)])
            #expect(!HTTPHeadParser.mayHoldCompleteHead(withoutEnd, searchFrom: 3))
        }
        let bare = bytes("GET / HTTP/1.1\nHost: h\n\n")
        #expect(bare.withUnsafeBytes { HTTPHeadParser.mayHoldCompleteHead($0, searchFrom: bare.count - 1) })
    }

    @Test func failsEarlyOnAnInvalidCompleteLine() {
        #expect(failureStatus("GET / HTTP/1.1\r\nBad Header: x\r\n") == 400)
        #expect(failureStatus("GET / HTTP/7.0\r\n") == 505)
        #expect(failureStatus("GET foo HTTP/1.1\r\n") == 400)
    }
}

/// A request head of exactly `length` bytes, padded in an `X:` header.
private func paddedHead(length: Int) -> String {
    let base = "GET / HTTP/1.1\r\nHost: h\r\nX: \r\n\r\n"
    let padding = String(repeating: "p", count: length - base.utf8.count)
    return "GET / HTTP/1.1\r\nHost: h\r\nX: " + padding + "\r\n\r\n"
}
