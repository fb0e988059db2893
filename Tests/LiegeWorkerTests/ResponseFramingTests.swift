import Testing
@testable import LiegeWorker

@Suite struct ResponseFramingTests {
    @Test func appLengthWins() {
        #expect(ResponseFramingRules.framing(statusCode: 200, appLength: 5, knownLength: 9, isHead: false, canChunk: true) == .length(5))
    }

    @Test func knownLengthWithoutAppLength() {
        #expect(ResponseFramingRules.framing(statusCode: 200, appLength: nil, knownLength: 13, isHead: false, canChunk: true) == .length(13))
    }

    @Test func unknownLengthIsChunkedForHTTP11() {
        #expect(ResponseFramingRules.framing(statusCode: 200, appLength: nil, knownLength: nil, isHead: false, canChunk: true) == .chunked)
    }

    @Test func unknownLengthEndsWithCloseWhenChunkingIsImpossible() {
        let framing = ResponseFramingRules.framing(statusCode: 200, appLength: nil, knownLength: nil, isHead: false, canChunk: false)
        #expect(framing == .untilClose)
        #expect(!framing.allowsKeepAlive)
    }

    @Test func bodilessStatusesAndHead() {
        #expect(ResponseFramingRules.framing(statusCode: 204, appLength: nil, knownLength: nil, isHead: false, canChunk: true) == .none(declaredLength: nil))
        #expect(ResponseFramingRules.framing(statusCode: 304, appLength: nil, knownLength: 3, isHead: false, canChunk: true) == .none(declaredLength: nil))
        #expect(ResponseFramingRules.framing(statusCode: 200, appLength: nil, knownLength: 13, isHead: true, canChunk: true) == .none(declaredLength: 13))
    }

    @Test func headDeclaresOnlyALengthItKnows() {
        func head(app: Int?, known: Int?) -> BodyFraming {
            ResponseFramingRules.framing(statusCode: 200, appLength: app, knownLength: known, isHead: true, canChunk: true)
        }
        // a streamed response (generator, or werkzeug's `()` for HEAD): the bridge holds an empty body
        #expect(head(app: nil, known: 0) == .none(declaredLength: nil))
        #expect(head(app: nil, known: nil) == .none(declaredLength: nil))
        // the app's own length is what a GET would carry, even 0
        #expect(head(app: 0, known: 0) == .none(declaredLength: 0))
        #expect(head(app: 42, known: 0) == .none(declaredLength: 42))
        // an app that returns its body for HEAD too, or a static file: that length
        #expect(head(app: nil, known: 5) == .none(declaredLength: 5))
    }

    @Test func getOfAnEmptyBodyStillDeclaresZero() {
        #expect(ResponseFramingRules.framing(statusCode: 200, appLength: nil, knownLength: 0, isHead: false, canChunk: true) == .length(0))
    }

    @Test func statusCodeOfStatusLine() {
        #expect(ResponseFramingRules.statusCode(of: "404 Not Found") == 404)
        #expect(ResponseFramingRules.statusCode(of: "x") == 500)
    }
}
