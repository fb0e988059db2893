import Testing
@testable import LiegeHTTP

@Suite struct StaticExpiresTests {
    let now = 1_800_000_000
    let modified = 1_700_000_000

    private func rule(_ subject: ExpiresRule.Subject, _ mtime: Bool, _ value: String) -> ExpiresRule? {
        try? ExpiresRule.parse(subject, fromModification: mtime, value).get()
    }

    private func evaluate(_ rules: [ExpiresRule?], path: String = "/srv/static/app.css", pathInfo: String = "/static/app.css",
                          uri: String = "/static/app.css?v=3", type: String = "text/css") -> Expiry? {
        var policy = ExpiresPolicy(rules.compactMap { $0 })
        let first = policy.evaluate(path: path, pathInfo: pathInfo, uri: uri, contentType: type, modified: modified, now: now)
        let remembered = policy.evaluate(path: path, pathInfo: pathInfo, uri: uri, contentType: type, modified: modified, now: now)
        #expect(first == remembered)
        return first
    }

    @Test func parsesRegexAndSeconds() {
        #expect(rule(.uri, false, "\\.css$ 3600") == ExpiresRule(subject: .uri, fromModification: false, pattern: "\\.css$", seconds: 3600))
        #expect(rule(.uri, false, "a b c 60")?.pattern == "a b c")  // the number is the last word
        #expect(rule(.type, true, "text/css=86400") == ExpiresRule(subject: .type, fromModification: true, pattern: "text/css", seconds: 86400))
        #expect(rule(.uri, false, "\\.css") == nil)
        #expect(rule(.uri, false, "\\.css 1h") == nil)
        #expect(rule(.type, false, "text/css 60") == nil)
        #expect(rule(.uri, false, " 60") == nil)
    }

    @Test func plainRulesCountFromTheRequest() {
        #expect(evaluate([rule(.uri, false, "\\.css 3600")]) == Expiry(expires: now + 3600, maxAge: 3600))
    }

    @Test func mtimeRulesCountFromTheFileAndNeverGoNegative() {
        #expect(evaluate([rule(.uri, true, "\\.css 200000000")]) == Expiry(expires: modified + 200_000_000, maxAge: 100_000_000))
        #expect(evaluate([rule(.uri, true, "\\.css 60")]) == Expiry(expires: modified + 60, maxAge: 0))
    }

    @Test func regexesAreUnanchored() {
        #expect(evaluate([rule(.uri, false, "v=3 10")])?.maxAge == 10)
        #expect(evaluate([rule(.uri, false, "^/static 10")])?.maxAge == 10)
        #expect(evaluate([rule(.uri, false, "^static 10")]) == nil)
    }

    @Test func eachSubjectMatchesItsOwnText() {
        #expect(evaluate([rule(.path, false, "^/srv/ 1")])?.maxAge == 1)
        #expect(evaluate([rule(.pathInfo, false, "^/srv/ 1")]) == nil)
        #expect(evaluate([rule(.pathInfo, false, "app\\.css$ 2")])?.maxAge == 2)
        #expect(evaluate([rule(.pathInfo, false, "v=3 2")]) == nil)  // PATH_INFO has no query
        #expect(evaluate([rule(.type, false, "text/css=3")])?.maxAge == 3)
        #expect(evaluate([rule(.type, false, "text/cs=3")]) == nil)  // exact, not a regex
    }

    @Test func orderIsSubjectThenPlainBeforeMtimeThenConfigOrder() {
        let all = [rule(.type, false, "text/css=4"), rule(.uri, false, "css 3"), rule(.pathInfo, true, "css 999999999"),
                   rule(.pathInfo, false, "css 2"), rule(.path, false, "nomatch 9"), rule(.path, true, "css 999999998")]
        #expect(evaluate(all) == Expiry(expires: modified + 999_999_998, maxAge: modified + 999_999_998 - now))
        #expect(evaluate(Array(all.dropLast()))?.maxAge == 2)
        #expect(evaluate([rule(.uri, false, "css 5"), rule(.uri, false, "app 6")])?.maxAge == 5)
        #expect(evaluate([rule(.uri, false, "nope 5"), rule(.uri, false, "app 6")])?.maxAge == 6)
    }

    @Test func invalidPatternsAreReportedAndNeverMatch() {
        var policy = ExpiresPolicy([ExpiresRule(subject: .uri, fromModification: false, pattern: "a(b", seconds: 1)])
        #expect(policy.invalidPatterns == ["a(b"])
        #expect(policy.evaluate(path: "", pathInfo: "", uri: "a(b", contentType: "", modified: 0, now: 0) == nil)
        #expect(ExpiresPolicy.compile("\\d+\\.(css|js)$") != nil)
    }

    @Test func rememberedMatchesStillFollowTheClockAndTheFile() {
        var policy = ExpiresPolicy([ExpiresRule(subject: .uri, fromModification: true, pattern: "css", seconds: 100),
                                    ExpiresRule(subject: .uri, fromModification: false, pattern: "js", seconds: 50)])
        #expect(policy.evaluate(path: "", pathInfo: "", uri: "/a.css", contentType: "", modified: 1000, now: 1050)
                == Expiry(expires: 1100, maxAge: 50))
        #expect(policy.evaluate(path: "", pathInfo: "", uri: "/a.css", contentType: "", modified: 2000, now: 2010)
                == Expiry(expires: 2100, maxAge: 90))
        #expect(policy.evaluate(path: "", pathInfo: "", uri: "/a.js", contentType: "", modified: 0, now: 7) == Expiry(expires: 57, maxAge: 50))
        #expect(policy.evaluate(path: "", pathInfo: "", uri: "/a.png", contentType: "", modified: 0, now: 7) == nil)
        for index in 0..<(ExpiresPolicy.memoLimit * 2) {  // a flood of distinct URIs stays bounded and correct
            #expect(policy.evaluate(path: "", pathInfo: "", uri: "/\(index).js", contentType: "", modified: 0, now: 0)?.maxAge == 50)
        }
        #expect(policy.evaluate(path: "", pathInfo: "", uri: "/a.css", contentType: "", modified: 0, now: 0)?.expires == 100)
    }
}
