import Testing
@testable import LiegeSystem

/// uWSGI's `log-route`: matching lines go to the named loggers only, the rest to the unnamed ones.
@Suite struct LogRouterTests {
    @Test func routedLinesSkipTheUnnamedLoggers() {
        let router = LogRouter(names: [nil, "errors", "slow", nil], routes: [("errors", "ERROR|Traceback"), ("slow", "\\d{4,}ms")])
        #expect(router.target(for: "GET / 200 3ms") == .loggers([0, 3]))
        #expect(router.target(for: "ERROR: boom") == .loggers([1]))
        #expect(router.target(for: "ERROR after 12000ms") == .loggers([1, 2]))
    }

    @Test func withoutUnnamedLoggersOtherLinesKeepTheOriginalStderr() {
        let router = LogRouter(names: ["errors"], routes: [("errors", "ERROR")])
        #expect(router.target(for: "hello") == .standardError)
        #expect(router.target(for: "an ERROR") == .loggers([0]))
    }

    @Test func routesToUnknownLoggersOrBadPatternsAreIgnored() {
        let router = LogRouter(names: [nil], routes: [("nobody", "x"), ("", "(")])
        #expect(router.target(for: "x") == .loggers([0]))
    }
}
