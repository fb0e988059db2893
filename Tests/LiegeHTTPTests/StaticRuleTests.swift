import Testing
@testable import LiegeHTTP

@Suite struct StaticRuleTests {
    private func rule(_ kind: StaticRule.Kind, _ value: String) -> StaticRule? {
        try? StaticRule.parse(kind, value).get()
    }

    private func candidate(_ kind: StaticRule.Kind, _ value: String, _ path: String) -> String? {
        rule(kind, value)?.candidate(for: bytes(path)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func mapMatchesThePrefixAndWhatIsUnderIt() {
        #expect(candidate(.map, "/static=/srv/s", "/static/css/a.css") == "/srv/s/css/a.css")
        #expect(candidate(.map, "/static=/srv/s", "/static") == "/srv/s")
        #expect(candidate(.map, "/static=/srv/s", "/static/") == "/srv/s/")
        #expect(candidate(.map, "/static/=/srv/s/", "/static/a") == "/srv/s/a")
    }

    @Test func mapRespectsThePathBoundary() {
        #expect(candidate(.map, "/static=/srv/s", "/staticx/a.css") == nil)
        #expect(candidate(.map, "/static=/srv/s", "/stati") == nil)
        #expect(candidate(.map, "/static=/srv/s", "/other/static/a") == nil)
    }

    @Test func mapOfAFileMatchesExactly() {
        #expect(candidate(.map, "/favicon.ico=/srv/f.ico", "/favicon.ico") == "/srv/f.ico")
        #expect(candidate(.map, "/favicon.ico=/srv/f.ico", "/favicon.icox") == nil)
    }

    @Test func map2KeepsThePrefix() {
        #expect(candidate(.map2, "/static=/srv", "/static/a.css") == "/srv/static/a.css")
        #expect(candidate(.map2, "/static=/srv", "/staticx") == nil)
    }

    @Test func checkStaticTakesEveryPath() {
        #expect(candidate(.check, "/srv/www", "/robots.txt") == "/srv/www/robots.txt")
        #expect(candidate(.check, "/srv/www", "/") == "/srv/www/")
    }

    @Test func rootPrefixMapsEverything() {
        #expect(candidate(.map, "/=/srv/www", "/a/b") == "/srv/www/a/b")
    }

    @Test(arguments: ["static=/srv", "/static", "/static=", ""])
    func badValuesAreRejected(value: String) {
        #expect(rule(.map, value) == nil)
    }

    @Test func percentTwoFDecodesToASeparatorBeforeMatching() throws {
        // The worker decodes once; the rule sees the decoded bytes.
        let decoded = try #require(PercentDecoding.decode("/static%2fcss%2fa.css"))
        #expect(rule(.map, "/static=/srv")?.candidate(for: decoded) == bytes("/srv/css/a.css"))
        let double = try #require(PercentDecoding.decode("/static/%252e%252e/x"))
        #expect(StaticPath.check(double) == .safe)  // the literal name "%2e%2e"
        #expect(rule(.map, "/static=/srv")?.candidate(for: double) == bytes("/srv/%2e%2e/x"))
    }
}
