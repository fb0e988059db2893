import Testing
@testable import LiegeHTTP

/// Bytes of a string as written (ISO-8859-1 for characters up to U+00FF).
func bytes(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
}

func parseHead(_ text: String, maxHeadSize: Int = 65535) -> HeadParseResult {
    HTTPHeadParser(maxHeadSize: maxHeadSize).parse(bytes(text))
}

/// The head, or nil (with a recorded issue) when the parse did not complete.
func head(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> RequestHead? {
    switch parseHead(text) {
    case .complete(let head, let consumed):
        #expect(consumed == bytes(text).count, "consumed", sourceLocation: sourceLocation)
        return head
    case .needMore:
        Issue.record("needMore for \(text.debugDescription)", sourceLocation: sourceLocation)
    case .failure(let error):
        Issue.record("\(error) for \(text.debugDescription)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The failure status of a parse (0 when it did not fail).
func failureStatus(_ result: HeadParseResult) -> Int {
    if case .failure(let error) = result { return error.status }
    return 0
}

func failureStatus(_ text: String, maxHeadSize: Int = 65535) -> Int {
    failureStatus(parseHead(text, maxHeadSize: maxHeadSize))
}

func isNeedMore(_ result: HeadParseResult) -> Bool {
    if case .needMore = result { return true }
    return false
}

/// A small deterministic generator (SplitMix64) so fuzz failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
