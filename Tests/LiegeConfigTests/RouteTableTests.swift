import Testing
@testable import LiegeConfig

@Suite struct RouteTableTests {
    private func rule(_ option: String, _ value: String) -> RouteRule? {
        try? RouteRule.parse(option: option, value: value).get()
    }

    private func problem(_ option: String, _ value: String) -> String? {
        if case .failure(let problem) = RouteRule.parse(option: option, value: value) { return problem.message }
        return nil
    }

    @Test func everyRoutingOptionIsRegisteredAndRepeatable() {
        for name in ["route", "route-run", "route-if", "route-if-not", "route-label", "route-host", "route-uri",
                     "route-qs", "route-remote-addr", "route-remote-user", "route-user-agent", "route-referer"] {
            #expect(OptionRegistry.spec(named: name)?.repeatable == true, "\(name)")
        }
    }

    @Test func aTemplateSplitsIntoTextCapturesAndVariables() throws {
        let template = try RouteTemplate.parse("/new/$1?u=${REQUEST_URI}&p=${qs[page]}$").get()
        #expect(template.pieces == [
            .text(Array("/new/".utf8)), .capture(1), .text(Array("?u=".utf8)), .variable("REQUEST_URI"),
            .text(Array("&p=".utf8)), .function(.qs, argument: "page"), .text(Array("$".utf8)),
        ])
        #expect(template.literal == nil)
        #expect(try RouteTemplate.parse("/plain ${unclosed").get().literal == Array("/plain ${unclosed".utf8))
        #expect(try RouteTemplate.parse("${lower[HTTP_HOST]}").get().pieces == [.function(.lower, argument: "HTTP_HOST")])
    }

    @Test func anUnknownVariableFunctionIsAProblem() {
        if case .failure(let problem) = RouteTemplate.parse("${lowr[HTTP_HOST]}") {
            #expect(problem.message.contains("(did you mean \"lower\"?)"))
        } else {
            Issue.record("accepted ${lowr[...]}")
        }
    }

    @Test func routeOptionsTakeTheirSubjectAndAction() {
        #expect(rule("route", "^/old/(.*) redirect:/new/$1")?.match == .subject(.pathInfo, pattern: "^/old/(.*)"))
        #expect(rule("route-host", "^www\\. redirect-permanent:https://example.com")?.match
            == .subject(.host, pattern: "^www\\."))
        #expect(rule("route-uri", "\\?debug return:403")?.action == .respond(status: 403))
        #expect(rule("route-run", "donotlog:")?.match == .always)
        #expect(rule("route-run", "donotlog")?.action == .skipLog)
        #expect(rule("route-label", "admin")?.match == .label("admin"))
        #expect(rule("route", "^/a  last:")?.action == .proceed)
    }

    @Test func actionsParseTheirArguments() {
        #expect(rule("route-run", "break:")?.action == .stop(status: nil, reason: ""))
        #expect(rule("route-run", "break:403 Forbidden")?.action == .stop(status: 403, reason: "Forbidden"))
        #expect(rule("route-run", "break:500")?.action == .stop(status: 500, reason: ""))
        #expect(rule("route-run", "break-with-status:404")?.action == .respond(status: 404))
        #expect(rule("route-run", "redirect-301:/x")?.action == .redirect(RouteTemplate(pieces: [.text([0x2F, 0x78])]), status: 301))
        #expect(rule("route-run", "rewrite-last:/x")?.action == .rewrite(RouteTemplate(pieces: [.text([0x2F, 0x78])]), last: true))
        #expect(rule("route-run", "remheader:Server")?.action == .removeHeader(RouteTemplate(pieces: [.text(Array("Server".utf8))])))
        #expect(rule("route-run", "addvar:APP=blue")?.action == .addVariable(name: "APP", value: RouteTemplate(pieces: [.text(Array("blue".utf8))])))
        if case .setHeader? = rule("route-run", "setheader:Cache-Control: no-store")?.action {} else {
            Issue.record("setheader")
        }
    }

    @Test func conditionsParseSubjectAndOperand() throws {
        let equal = try #require(rule("route-if", "equal:${PATH_INFO};/bad break:500"))
        guard case .condition(let condition, negated: false) = equal.match else {
            Issue.record("not a condition")
            return
        }
        #expect(condition.kind == .equal)
        #expect(condition.subject.pieces == [.variable("PATH_INFO")])
        #expect(condition.operand?.literal == Array("/bad".utf8))
        let regexp = try #require(rule("route-if-not", "re:${HTTP_HOST};^(www\\.)?example\\.com$ return:404"))
        guard case .condition(let host, negated: true) = regexp.match else {
            Issue.record("not a negated condition")
            return
        }
        #expect(host.kind == .regexp)
        #expect(host.pattern == "^(www\\.)?example\\.com$")
        guard case .condition(let file, _)? = rule("route-if", "isfile:/srv/${PATH_INFO} static:/srv/${PATH_INFO}")?.match else {
            Issue.record("isfile")
            return
        }
        #expect(file.kind == .isfile && file.operand == nil)
        for name in ["isequal", "eq", "==", "startswith", "endswith", "contains", "contain", ">", "<=", "ishigher"] {
            #expect(rule("route-if", "\(name):a;b last:") != nil, "\(name)")
        }
    }

    @Test func badRulesSayWhatIsWrongAndSuggest() {
        #expect(problem("route", "^/x redirct:/y") == "has an unknown routing action \"redirct\" (did you mean \"redirect\"?)")
        #expect(problem("route", "^/x frobnicate:1")?.hasPrefix("has an unknown routing action \"frobnicate\" (Liege has: continue, last,") == true)
        #expect(problem("route", "^/x basicauth:realm,a:b")?.contains("which Liege does not provide") == true)
        #expect(problem("route-if", "equl:a;b last:") == "has an unknown route condition \"equl\" (did you mean \"equal\"?)")
        #expect(problem("route-if", "equal:a last:")?.contains("expects SUBJECT;VALUE") == true)
        #expect(problem("route-if", "ipv4in:a;b last:")?.contains("does not provide") == true)
        #expect(problem("route", "^/(x last:")?.hasPrefix("has an invalid regular expression \"^/(x\"") == true)
        #expect(problem("route-if", "regexp:${PATH_INFO};[a last:")?.hasPrefix("has an invalid regular expression") == true)
        #expect(problem("route", "^/x") == "expects REGEX ACTION, got \"^/x\"")
        #expect(problem("route-run", "return:99") != nil)
        #expect(problem("route-run", "break:teapot") != nil)
        #expect(problem("route-run", "redirect:")?.contains("needs url") == true)
        #expect(problem("route-run", "addheader:NoColon") != nil)
        #expect(problem("route-run", "addvar:=x") != nil)
        #expect(problem("route-label", " ") != nil)
    }

    @Test func literalGotoTargetsResolveForwardOnly() {
        let entries = [
            ConfigEntry(key: "route-host", value: "^a goto:alpha"),
            ConfigEntry(key: "processes", value: "2"),
            ConfigEntry(key: "route-run", value: "goto:${HTTP_HOST}"),
            ConfigEntry(key: "route-label", value: "alpha"),
            ConfigEntry(key: "route-run", value: "goto:alpha"),
            ConfigEntry(key: "route-run", value: "goto:4"),
            ConfigEntry(key: "route-run", value: "goto:omegaa"),
            ConfigEntry(key: "route-label", value: "omega"),
        ]
        let (table, problems) = RouteTable.parse(entries)
        #expect(table.rules.count == 7)
        #expect(table.rules[0].action == .jump(RouteJump(target: RouteTemplate(pieces: [.text(Array("alpha".utf8))]), position: 2)))
        guard case .jump(let dynamic)? = table.rules[1].action else {
            Issue.record("dynamic goto")
            return
        }
        #expect(dynamic.position == nil)
        #expect(problems.map(\.index) == [4, 5, 6])
        #expect(problems[0].message == "\"route-run\" has \"goto:alpha\", but that route-label comes before it (goto only jumps forward)")
        #expect(problems[1].message.contains("rule 4 is not after it"))
        #expect(problems[2].message == "\"route-run\" has \"goto:omegaa\", but no route-label \"omegaa\" follows (did you mean \"omega\"?)")
    }

    @Test func aConfigWithBadRulesFailsWithTheirLines() {
        let sandbox = Sandbox()
        let errors = sandbox.errors(ini: """
        route = ^/old redirect:/new
        route = ^/x redirct:/y
        route-run = goto:nowhere
        route-label = somewhere
        route-if = isdir:/tmp lst:
        """)
        #expect(errors.count == 3)
        #expect(errors.first { $0.hasPrefix("app.ini:3: \"route\" has an unknown routing action \"redirct\"") } != nil, "\(errors)")
        #expect(errors.first { $0.hasPrefix("app.ini:4: \"route-run\" has \"goto:nowhere\", but no route-label") } != nil, "\(errors)")
        #expect(errors.first { $0.hasPrefix("app.ini:6: \"route-if\" has an unknown routing action \"lst\" (did you mean \"last\"?)") } != nil, "\(errors)")
    }

    @Test func aValidTableSurvivesLoadingInOrder() throws {
        let sandbox = Sandbox()
        sandbox.write("app.ini", """
        [uwsgi]
        route-host = ^admin\\. goto:admin
        route = ^/old/(.*) redirect:/new/$1${QUERY_STRING}
        route-run = last:
        route-label = admin
        route-run = addheader:X-Admin: ${REMOTE_ADDR}
        """)
        let config = try #require(sandbox.load(["app.ini"]).config)
        let table = RouteTable(config: config)
        #expect(table.rules.map(\.option) == ["route-host", "route", "route-run", "route-label", "route-run"])
        #expect(table.rules[0].action == .jump(RouteJump(target: RouteTemplate(pieces: [.text(Array("admin".utf8))]), position: 3)))
        #expect(table.rules[1].action == .redirect(RouteTemplate(pieces: [
            .text(Array("/new/".utf8)), .capture(1), .variable("QUERY_STRING"),
        ]), status: 302))
    }

    @Test func theRouterPluginsAreBuiltIn() {
        for name in ["router_redirect", "router_rewrite", "router_static"] {
            #expect(PluginNames.problem(name) == nil, "\(name)")
        }
        #expect(PluginNames.problem("router_cache")?.contains("routing.md") == true)
    }
}
