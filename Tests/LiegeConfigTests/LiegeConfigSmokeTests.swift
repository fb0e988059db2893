import Testing
@testable import LiegeConfig

@Test func LiegeConfigBuilds() {
    #expect(Bool(true))
}
