import Testing
@testable import LiegeHTTP

@Test func LiegeHTTPBuilds() {
    #expect(Bool(true))
}
