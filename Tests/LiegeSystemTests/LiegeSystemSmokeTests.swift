import Testing
@testable import LiegeSystem

@Test func LiegeSystemBuilds() {
    #expect(Bool(true))
}
