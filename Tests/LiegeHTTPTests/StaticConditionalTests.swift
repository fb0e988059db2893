import Testing
@testable import LiegeHTTP

@Suite struct StaticConditionalTests {
    let tag = ConditionalRequest.entityTag(size: 4096, modifiedSeconds: 0x6560_f0a1, modifiedNanoseconds: 5)
    let modified = 784_111_777  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func entityTagFormat() {
        #expect(tag == "\"6560f0a1.5-1000\"")
        #expect(ConditionalRequest.entityTag(size: 4096, modifiedSeconds: 0x6560_f0a1, modifiedNanoseconds: 6) != tag)
        #expect(ConditionalRequest.entityTag(size: 4097, modifiedSeconds: 0x6560_f0a1, modifiedNanoseconds: 5) != tag)
    }

    @Test(arguments: [
        ("\"6560f0a1.5-1000\"", true), ("W/\"6560f0a1.5-1000\"", true), ("\"x\", \"6560f0a1.5-1000\"", true),
        ("*", true), ("\"other\"", false), ("\"6560f0a1.5-100\"", false), ("", false),
    ])
    func ifNoneMatch(header: String, notModified: Bool) {
        #expect(ConditionalRequest.isNotModified(ifNoneMatch: header, ifModifiedSince: nil, entityTag: tag,
                                                 modifiedSeconds: modified) == notModified)
    }

    @Test(arguments: [
        ("Sun, 06 Nov 1994 08:49:37 GMT", true), ("Sun, 06 Nov 1994 08:49:38 GMT", true),
        ("Sun, 06 Nov 1994 08:49:36 GMT", false), ("Sunday, 06-Nov-94 08:49:37 GMT", true),
        ("Sun Nov  6 08:49:37 1994", true), ("garbage", false), ("", false),
    ])
    func ifModifiedSince(header: String, notModified: Bool) {
        #expect(ConditionalRequest.isNotModified(ifNoneMatch: nil, ifModifiedSince: header, entityTag: tag,
                                                 modifiedSeconds: modified) == notModified)
    }

    @Test func ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        #expect(!ConditionalRequest.isNotModified(ifNoneMatch: "\"other\"", ifModifiedSince: "Sun, 06 Nov 1994 08:49:37 GMT",
                                                  entityTag: tag, modifiedSeconds: modified))
    }

    @Test func ifRange() {
        let date = "Sun, 06 Nov 1994 08:49:37 GMT"
        #expect(ConditionalRequest.rangeApplies(ifRange: nil, entityTag: tag, lastModified: date))
        #expect(ConditionalRequest.rangeApplies(ifRange: tag, entityTag: tag, lastModified: date))
        #expect(ConditionalRequest.rangeApplies(ifRange: date, entityTag: tag, lastModified: date))
        #expect(!ConditionalRequest.rangeApplies(ifRange: "W/" + tag, entityTag: tag, lastModified: date))
        #expect(!ConditionalRequest.rangeApplies(ifRange: "\"old\"", entityTag: tag, lastModified: date))
        #expect(!ConditionalRequest.rangeApplies(ifRange: "Sun, 06 Nov 1994 08:49:36 GMT", entityTag: tag, lastModified: date))
    }

    @Test(arguments: [
        ("gzip", true), ("gzip, deflate, br", true), ("deflate, gzip;q=0.5", true), ("GZIP", true),
        ("gzip;q=0", false), ("gzip; q=0.0", false), ("deflate", false), ("*", true), ("*;q=0", false),
        ("gzip;q=0, *", false), ("identity", false), ("x-gzip", true),
    ])
    func acceptEncoding(header: String, accepts: Bool) {
        #expect(ConditionalRequest.acceptsGzip(header) == accepts)
    }

    @Test func noAcceptEncodingMeansNoGzip() {
        #expect(!ConditionalRequest.acceptsGzip(nil))
    }
}
