import Testing
@testable import LiegeHTTP

/// `limit-request-fields`: the number of field lines in a head.
@Suite struct HeadParserLimitTests {
    private func request(fields count: Int) -> [UInt8] {
        bytes("GET / HTTP/1.1\r\nHost: h\r\n" + String(repeating: "X-A: v\r\n", count: count - 1) + "\r\n")
    }

    @Test func defaultLimitIs100Fields() {
        #expect(HTTPHeadParser().maxHeaderFields == 100)
        #expect(failureStatus(HTTPHeadParser().parse(request(fields: 100))) == 0)
        #expect(HTTPHeadParser().parse(request(fields: 101)).failureError == .tooManyFields)
        #expect(HTTPError.tooManyFields.status == 431)
    }

    @Test func limitCountsEveryFieldLineIncludingRepeats() {
        let parser = HTTPHeadParser(maxHeadSize: 65535, maxHeaderFields: 3)
        #expect(failureStatus(parser.parse(request(fields: 3))) == 0)
        #expect(failureStatus(parser.parse(request(fields: 4))) == 431)
        let repeated = bytes("GET / HTTP/1.1\r\nHost: h\r\nCookie: a\r\nCookie: b\r\nCookie: c\r\n\r\n")
        #expect(failureStatus(parser.parse(repeated)) == 431)
    }

    @Test func zeroMeansNoLimitButTheBufferSize() {
        let parser = HTTPHeadParser(maxHeadSize: 65535, maxHeaderFields: 0)
        #expect(failureStatus(parser.parse(request(fields: 5000))) == 0)
        #expect(failureStatus(HTTPHeadParser(maxHeadSize: 1000, maxHeaderFields: 0).parse(request(fields: 5000))) == 431)
    }

    @Test func failsAsSoonAsTheFieldOverTheLimitHasArrived() {
        let parser = HTTPHeadParser(maxHeadSize: 65535, maxHeaderFields: 2)
        // the head has not ended, but the third field line is complete: no need to wait
        #expect(failureStatus(parser.parse(bytes("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n"))) == 431)
        #expect(isNeedMore(parser.parse(bytes("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2"))))
    }
}

extension HeadParseResult {
    var failureError: HTTPError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
