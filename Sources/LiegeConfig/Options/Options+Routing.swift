extension OptionRegistry {
    /// uWSGI's internal routing, request chain (docs/routing.md): one table of every `route*` option in
    /// config order, applied by the worker's event loop to each request before static files and the app.
    static let routingOptions: [OptionSpec] = [
        routeOption("route", help: "`REGEX ACTION`: run ACTION when REGEX matches PATH_INFO (`$1`...`$9`: its groups)"),
        routeOption("route-run", help: "`ACTION`: run ACTION for every request"),
        routeOption("route-if", help: "`CONDITION:SUBJECT[;VALUE] ACTION`: run ACTION when the condition holds "
            + "(equal, startswith, endswith, contains, regexp, exists, isfile, isdir, empty, ...)"),
        routeOption("route-if-not", help: "like route-if, when the condition does not hold"),
        routeOption("route-label", help: "`NAME`: a point of the table that `goto:NAME` jumps to (forward only)"),
        routeOption("route-host", help: "`REGEX ACTION`: like route, matching HTTP_HOST"),
        routeOption("route-uri", help: "`REGEX ACTION`: like route, matching REQUEST_URI (with the query string)"),
        routeOption("route-qs", help: "`REGEX ACTION`: like route, matching QUERY_STRING"),
        routeOption("route-remote-addr", help: "`REGEX ACTION`: like route, matching REMOTE_ADDR"),
        routeOption("route-remote-user", help: "`REGEX ACTION`: like route, matching REMOTE_USER"),
        routeOption("route-user-agent", help: "`REGEX ACTION`: like route, matching HTTP_USER_AGENT"),
        routeOption("route-referer", help: "`REGEX ACTION`: like route, matching HTTP_REFERER"),
    ]

    private static func routeOption(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name, type: .string, repeatable: true, help: help, check: { value in
            if case .failure(let problem) = RouteRule.parse(option: name, value: value) { return problem.message }
            return nil
        })
    }

    /// `goto` targets: a literal label must name a `route-label` further down the table.
    static func routeJumpProblems(_ entries: [ConfigEntry]) -> [(index: Int, message: String)] {
        RouteTable.parse(entries).problems
    }
}
