import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeWorker

/// A file system of a few paths, for the `exists`/`isfile`/`isdir` conditions.
private struct FakeFiles: RouteFiles {
    var files: Set<String> = []
    var directories: Set<String> = []

    func kind(of path: [UInt8]) -> PathKind? {
        let name = String(decoding: path, as: UTF8.self)
        if files.contains(name) { return PathKind(isFile: true, isDirectory: false, isLink: false, isExecutable: false) }
        if directories.contains(name) { return PathKind(isFile: false, isDirectory: true, isLink: false, isExecutable: true) }
        return nil
    }
}

@Suite struct RouteEngineTests {
    /// Runs `lines` (`option = value`) over a request for `uri` (the path is PATH_INFO, the rest the query).
    private func run(_ lines: [String], uri: String, headers: [(String, String)] = [], files: FakeFiles = FakeFiles())
        -> (outcome: RouteOutcome, request: RouteRequest) {
        let entries = lines.map { line -> ConfigEntry in
            let equals = line.firstIndex(of: "=")!
            return ConfigEntry(key: line[..<equals].trimmingSpaces, value: line[line.index(after: equals)...].trimmingSpaces)
        }
        let (table, problems) = RouteTable.parse(entries)
        #expect(problems.isEmpty, "\(problems)")
        let engine = RouteEngine(table: table, files: files)!
        let question = uri.firstIndex(of: "?")
        var variables: [(name: String, value: [UInt8])] = [
            ("REQUEST_METHOD", Array("GET".utf8)), ("REQUEST_URI", Array(uri.utf8)),
            ("PATH_INFO", Array(uri[..<(question ?? uri.endIndex)].utf8)),
            ("QUERY_STRING", question.map { Array(uri[uri.index(after: $0)...].utf8) } ?? []),
            ("REMOTE_ADDR", Array("10.0.0.7".utf8)),
        ]
        for (name, value) in headers { variables.append((name, Array(value.utf8))) }
        var request = RouteRequest(variables: variables, now: 1_700_000_000)
        let outcome = engine.route(&request)
        return (outcome, request)
    }

    private func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test func aRedirectCarriesCapturesAndVariables() {
        let (outcome, _) = run(["route = ^/old/(.*)/(\\d+)$ redirect:https://x.test/$2/$1?from=${REQUEST_URI}"],
                               uri: "/old/shop/42?a=1")
        #expect(outcome.decision == .redirect(status: 302, location: Array("https://x.test/42/shop?from=/old/shop/42?a=1".utf8)))
        let permanent = run(["route-uri = ^/perm redirect-permanent:/p$9$0"], uri: "/perm").outcome
        #expect(permanent.decision == .redirect(status: 301, location: Array("/p/perm".utf8)))
    }

    @Test func aRuleThatDoesNotMatchLetsTheRequestThrough() {
        let (outcome, request) = run(["route = ^/admin return:403"], uri: "/shop/admin")
        #expect(outcome.decision == .serve)
        #expect(outcome.effects.isEmpty)
        #expect(text(request.value("PATH_INFO")) == "/shop/admin")
    }

    @Test func rewriteChangesPathAndQueryAndLaterRulesSeeIt() {
        let (outcome, request) = run([
            "route = ^/blog/(\\d+)$ rewrite:/article%20view?id=$1",
            "route = ^/article addheader:X-Seen: ${PATH_INFO}",
        ], uri: "/blog/7?x=y")
        #expect(outcome.decision == .serve)
        #expect(text(request.value("PATH_INFO")) == "/article view")
        #expect(text(request.value("QUERY_STRING")) == "id=7&x=y")
        #expect(text(request.value("REQUEST_URI")) == "/blog/7?x=y")
        #expect(outcome.effects.headers.apply(to: []).map(\.value) == ["/article view"])
    }

    @Test func rewriteLastStopsTheTable() {
        let (outcome, request) = run(["route = ^/a rewrite-last:/b", "route = ^/b return:404"], uri: "/a")
        #expect(outcome.decision == .serve)
        #expect(text(request.value("PATH_INFO")) == "/b")
        #expect(text(request.value("QUERY_STRING")) == "")
    }

    @Test func aRewriteToANulByteIsABadRequest() {
        #expect(run(["route = ^/a rewrite:/x%00y"], uri: "/a").outcome.decision == .respond(status: 400))
    }

    @Test func breakReturnAndContinue() {
        #expect(run(["route = ^/x break:403 Go away"], uri: "/x").outcome.decision == .stop(status: 403, reason: "Go away"))
        #expect(run(["route = ^/x break:"], uri: "/x").outcome.decision == .stop(status: nil, reason: ""))
        #expect(run(["route = ^/x return:410"], uri: "/x").outcome.decision == .respond(status: 410))
        #expect(run(["route = ^/x continue:", "route = ^/x return:410"], uri: "/x").outcome.decision == .serve)
        #expect(run(["route-run = last:", "route-run = return:410"], uri: "/y").outcome.decision == .serve)
    }

    @Test func headerEditsApplyToTheResponse() {
        let (outcome, _) = run([
            "route-run = addheader:X-Frame-Options: DENY",
            "route-run = delheader:Server",
            "route-run = remheader:x-powered-by",
            "route-run = setheader:Cache-Control: no-store",
            "route-run = addheader:X-Powered-By: again",
        ], uri: "/")
        let app: [(name: String, value: String)] = [("Content-Type", "text/html"), ("X-Powered-By", "PHP"),
                                                     ("Cache-Control", "max-age=60"), ("server", "app")]
        let edited = outcome.effects.headers.apply(to: app)
        #expect(edited.map { "\($0.name): \($0.value)" }
            == ["Content-Type: text/html", "X-Frame-Options: DENY", "Cache-Control: no-store"])
    }

    @Test func donotlogAndLogLines() {
        let (outcome, _) = run(["route = ^/health donotlog:", "route = ^/health log:health from ${REMOTE_ADDR}"],
                               uri: "/health")
        #expect(outcome.effects.skipLog)
        #expect(outcome.logLines == ["health from 10.0.0.7"])
        #expect(outcome.decision == .serve)
    }

    @Test func gotoJumpsToItsLabelSkippingWhatIsBetween() {
        let lines = [
            "route-host = ^admin\\. goto:admin",
            "route-run = addheader:X-Site: public",
            "route-run = last:",
            "route-label = admin",
            "route-run = addheader:X-Site: admin",
            "route-if-not = equal:${REMOTE_ADDR};127.0.0.1 break:403 Forbidden",
        ]
        let admin = run(lines, uri: "/", headers: [("HTTP_HOST", "admin.example.com")]).outcome
        #expect(admin.decision == .stop(status: 403, reason: "Forbidden"))
        #expect(admin.effects.headers.apply(to: []).map(\.value) == ["admin"])
        let visitor = run(lines, uri: "/", headers: [("HTTP_HOST", "www.example.com")]).outcome
        #expect(visitor.decision == .serve)
        #expect(visitor.effects.headers.apply(to: []).map(\.value) == ["public"])
    }

    @Test func aDynamicGotoFindsItsLabelPerRequest() {
        let lines = ["route-host = ^([a-z]+)\\. goto:$1", "route-run = return:404",
                     "route-label = shop", "route-run = return:200"]
        #expect(run(lines, uri: "/", headers: [("HTTP_HOST", "shop.test")]).outcome.decision == .respond(status: 200))
        let missing = run(lines, uri: "/", headers: [("HTTP_HOST", "blog.test")]).outcome
        guard case .failed(let message) = missing.decision else {
            Issue.record("expected a failure, got \(missing.decision)")
            return
        }
        #expect(message.contains("no route-label \"blog\""))
    }

    @Test func conditionsCompareExpandedValues() {
        func decision(_ condition: String, uri: String = "/static/app.css", headers: [(String, String)] = [],
                      files: FakeFiles = FakeFiles()) -> RouteOutcome.Decision {
            run(["route-if = \(condition) return:418"], uri: uri, headers: headers, files: files).outcome.decision
        }
        let teapot = RouteOutcome.Decision.respond(status: 418)
        #expect(decision("equal:${PATH_INFO};/static/app.css") == teapot)
        #expect(decision("isequal:${PATH_INFO};/static") == .serve)
        #expect(decision("startswith:${PATH_INFO};/static/") == teapot)
        #expect(decision("endswith:${PATH_INFO};.css") == teapot)
        #expect(decision("endswith:${PATH_INFO};.js") == .serve)
        #expect(decision("contains:${HTTP_USER_AGENT};curl", headers: [("HTTP_USER_AGENT", "curl/8.5")]) == teapot)
        #expect(decision("contains:${HTTP_USER_AGENT};curl") == .serve)
        #expect(decision("empty:${HTTP_REFERER}") == teapot)
        #expect(decision(">:${CONTENT_LENGTH};1000", headers: [("CONTENT_LENGTH", "5000")]) == teapot)
        #expect(decision("<=:${CONTENT_LENGTH};1000", headers: [("CONTENT_LENGTH", "5000")]) == .serve)
        let files = FakeFiles(files: ["/srv/static/app.css"], directories: ["/srv/static"])
        #expect(decision("isfile:/srv${PATH_INFO}", files: files) == teapot)
        #expect(decision("exists:/srv/static", files: files) == teapot)
        #expect(decision("isdir:/srv${PATH_INFO}", files: files) == .serve)
        #expect(decision("isdir:/srv/static", files: files) == teapot)
        #expect(decision("exists:/srv/missing", files: files) == .serve)
    }

    @Test func aRegexpConditionGivesCapturesToItsAction() {
        let (outcome, _) = run(["route-if = regexp:${HTTP_HOST};^(.+)\\.example\\.com$ redirect:https://example.com/$1${PATH_INFO}"],
                               uri: "/a", headers: [("HTTP_HOST", "shop.example.com")])
        #expect(outcome.decision == .redirect(status: 302, location: Array("https://example.com/shop/a".utf8)))
        let negated = run(["route-if-not = regexp:${HTTP_HOST};^www\\. redirect:https://www.example.com${REQUEST_URI}"],
                          uri: "/a?b", headers: [("HTTP_HOST", "example.com")]).outcome
        #expect(negated.decision == .redirect(status: 302, location: Array("https://www.example.com/a?b".utf8)))
    }

    @Test func staticAndAddvar() {
        let (outcome, request) = run(["route-run = addvar:APP_COLOR=blue", "route = ^/logo static:/srv/img/logo-${APP_COLOR}.png"],
                                     uri: "/logo")
        #expect(outcome.decision == .file(Array("/srv/img/logo-blue.png".utf8)))
        #expect(text(request.value("APP_COLOR")) == "blue")
    }

    @Test func routingFunctions() {
        let (outcome, _) = run([
            "route-run = addheader:X-Q: ${qs[page]}|${qs[none]}|${cookie[sid]}|${lower[HTTP_HOST]}|${upper[REQUEST_METHOD]}",
            "route-run = addheader:X-T: ${time[unix]} ${httptime[60]}",
        ], uri: "/list?sort=a&page=3", headers: [("HTTP_COOKIE", "theme=dark; sid=abc"), ("HTTP_HOST", "Shop.Example")])
        #expect(outcome.effects.headers.apply(to: []).map(\.value)
            == ["3||abc|shop.example|GET", "1700000000 Tue, 14 Nov 2023 22:14:20 GMT"])
    }

    @Test func regexesMatchTheBytesOfTheRequest() {
        // "é" in the config (UTF-8) matches the UTF-8 bytes of the decoded path, as uWSGI's PCRE does.
        let (outcome, _) = run(["route = ^/caf(é)$ redirect:/cafe$1"], uri: "/café")
        #expect(outcome.decision == .redirect(status: 302, location: Array("/cafeé".utf8)))
    }
}
