import Testing
@testable import LiegeHTTP

@Suite struct StaticRangeTests {
    @Test(arguments: [
        ("bytes=0-9", 100, ByteRange.partial(offset: 0, length: 10)),
        ("bytes=10-", 100, .partial(offset: 10, length: 90)),
        ("bytes=-10", 100, .partial(offset: 90, length: 10)),
        ("bytes=-1000", 100, .partial(offset: 0, length: 100)),
        ("bytes=90-1000", 100, .partial(offset: 90, length: 10)),
        ("bytes=99-99", 100, .partial(offset: 99, length: 1)),
        ("BYTES=0-0", 100, .partial(offset: 0, length: 1)),
        (" bytes= 5-6 ", 100, .partial(offset: 5, length: 2)),
        ("bytes=0-99999999999999999999999", 100, .partial(offset: 0, length: 100)),
    ])
    func satisfiable(header: String, size: Int, expected: ByteRange) {
        #expect(ByteRange.evaluate(header, size: size) == expected)
    }

    @Test(arguments: [
        ("bytes=100-", 100), ("bytes=100-200", 100), ("bytes=-0", 100), ("bytes=0-", 0), ("bytes=-5", 0),
        ("bytes=99999999999999999999999-", 100),
    ])
    func unsatisfiable(header: String, size: Int) {
        #expect(ByteRange.evaluate(header, size: size) == .unsatisfiable)
    }

    @Test(arguments: [
        "bytes=0-1,5-6", "bytes=-", "bytes=a-b", "bytes=5-1", "items=0-1", "bytes 0-1", "", "bytes=1", "bytes=--1",
        "bytes=0-1-2",
    ])
    func ignoredGivesTheWholeFile(header: String) {
        #expect(ByteRange.evaluate(header, size: 100) == .whole)
    }

    @Test func absentIsWhole() {
        #expect(ByteRange.evaluate(nil, size: 10) == .whole)
    }

    @Test func contentRangeTexts() {
        #expect(ByteRange.contentRange(offset: 10, length: 10, size: 100) == "bytes 10-19/100")
        #expect(ByteRange.unsatisfiedRange(size: 100) == "bytes */100")
    }
}
