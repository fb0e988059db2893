/// What a routing rule does when it matches (uWSGI's routing actions, the subset Liege provides).
public enum RouteAction: Sendable, Equatable {
    /// `continue:` / `last:`: stop routing, serve the request (static files, then the app).
    case proceed
    /// `break:` (close the connection, no answer) or `break:STATUS [REASON]` (that status, empty body).
    case stop(status: Int?, reason: String)
    /// `return:STATUS` / `break-with-status:STATUS`: that status with its reason phrase as the body.
    case respond(status: Int)
    /// `redirect:URL` (302) / `redirect-permanent:URL` (301).
    case redirect(RouteTemplate, status: Int)
    /// `rewrite:PATH[?QUERY]`: new PATH_INFO (decoded) and QUERY_STRING; `rewrite-last` then serves.
    case rewrite(RouteTemplate, last: Bool)
    /// `addheader:Name: value` on the response.
    case addHeader(RouteTemplate)
    /// `delheader:Name` / `remheader:Name`: no header of that name in the response.
    case removeHeader(RouteTemplate)
    /// `setheader:Name: value` (Liege): the response's `Name` headers replaced by this one.
    case setHeader(RouteTemplate)
    /// `donotlog:`: no access-log line for the request.
    case skipLog
    /// `goto:LABEL`: a forward jump to a `route-label` (or a rule number).
    case jump(RouteJump)
    /// `static:PATH`: answer with that file.
    case serveFile(RouteTemplate)
    /// `log:TEXT`: a line in the worker's log.
    case log(RouteTemplate)
    /// `addvar:NAME=VALUE`: a CGI variable for the app (and for the following rules).
    case addVariable(name: String, value: RouteTemplate)

    /// Action names and what they take, in the order the docs list them.
    public static let names: [String] = [
        "continue", "last", "break", "return", "break-with-status", "redirect", "redirect-302",
        "redirect-permanent", "redirect-301", "rewrite", "rewrite-last", "addheader", "delheader", "remheader",
        "setheader", "donotlog", "goto", "static", "log", "addvar",
    ]

    /// uWSGI actions Liege does not provide (their plugins: cache, proxies, auth, rpc...).
    static let unsupported: Set<String> = [
        "cache", "cachestore", "cache-store", "cachevar", "cacheset", "cache-continue", "cacheinc", "cachedec",
        "cachemul", "cachediv", "memcached", "memcachedstore", "memcached-store", "memcached-continue", "redis",
        "redisstore", "redis-store", "redis-continue", "http", "proxyhttp", "uwsgi", "proxyuwsgi", "fcgi",
        "basicauth", "basicauth-next", "ldapauth", "ldapauth-next", "access", "spnego", "radius", "rpc", "rpcret",
        "rpcblob", "rpcnext", "rpcraw", "rpcvar", "call", "xslt", "ssi", "gridfs", "logvar", "signal", "send",
        "send-crnl", "chdir", "setapp", "setuser", "sethome", "setfile", "setscriptname", "setmethod", "seturi",
        "setremoteaddr", "setpathinfo", "fixpathinfo", "setdocroot", "setscheme", "setprocname", "alarm",
        "setmodifier1", "setmodifier2", "flush", "fixcl", "forcecl", "harakiri", "clearheaders", "resetheaders",
        "disableheaders", "donotoffload", "static-next", "file", "file-next", "sendfile", "sendfile-next",
        "fastfile", "fastfile-next", "gzip", "chunked", "template", "upper", "toupper", "expires", "hash",
        "metric", "metricinc", "metricdec", "metricmul", "metricdiv", "metricset", "offload", "+", "-", "*", "/",
    ]

    /// Parses `NAME:ARGUMENT` (a bare `NAME` is `NAME:` with nothing after it).
    public static func parse(_ text: Substring) -> Result<RouteAction, RouteProblem> {
        let name: String
        let argument: String
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            argument = String(text[text.index(after: colon)...])
        } else {
            name = String(text)
            argument = ""
        }
        func template(needing what: String) -> Result<RouteTemplate, RouteProblem> {
            guard !argument.isEmpty else {
                return .failure(RouteProblem("action \(RouteNames.quoted(name)) needs \(what) (\(name):\(what.uppercased()))"))
            }
            return RouteTemplate.parse(argument)
        }
        switch name {
        case "continue", "last":
            return .success(.proceed)
        case "break":
            return parseBreak(argument)
        case "return", "break-with-status":
            guard let status = statusCode(argument[...]) else {
                return .failure(RouteProblem("action \(RouteNames.quoted(name)) expects an HTTP status (100-599), got \(RouteNames.quoted(argument))"))
            }
            return .success(.respond(status: status))
        case "redirect", "redirect-302":
            return template(needing: "url").map { .redirect($0, status: 302) }
        case "redirect-permanent", "redirect-301":
            return template(needing: "url").map { .redirect($0, status: 301) }
        case "rewrite", "rewrite-last":
            return template(needing: "path").map { .rewrite($0, last: name == "rewrite-last") }
        case "addheader", "setheader":
            guard let colon = argument.firstIndex(of: ":"), !argument[..<colon].trimming(" ").isEmpty else {
                return .failure(RouteProblem("action \(RouteNames.quoted(name)) expects \"Name: value\", got \(RouteNames.quoted(argument))"))
            }
            return RouteTemplate.parse(argument).map { name == "addheader" ? .addHeader($0) : .setHeader($0) }
        case "delheader", "remheader":
            return template(needing: "name").map { .removeHeader($0) }
        case "donotlog":
            return .success(.skipLog)
        case "goto":
            return template(needing: "label").map { .jump(RouteJump(target: $0, position: nil)) }
        case "static":
            return template(needing: "path").map { .serveFile($0) }
        case "log":
            return RouteTemplate.parse(argument).map { .log($0) }
        case "addvar":
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                return .failure(RouteProblem("action \"addvar\" expects NAME=VALUE, got \(RouteNames.quoted(argument))"))
            }
            let variable = String(argument[..<equals])
            return RouteTemplate.parse(String(argument[argument.index(after: equals)...]))
                .map { .addVariable(name: variable, value: $0) }
        default:
            if unsupported.contains(name) {
                return .failure(RouteProblem("uses the uWSGI routing action \(RouteNames.quoted(name)), which Liege does not provide (see docs/routing.md)"))
            }
            return .failure(RouteProblem("has an unknown routing action \(RouteNames.quoted(name))"
                + RouteNames.suggestion(name, among: names, otherwise: "Liege has: \(names.joined(separator: ", "))")))
        }
    }

    /// `break:` or `break:403 Forbidden`.
    private static func parseBreak(_ argument: String) -> Result<RouteAction, RouteProblem> {
        let trimmed = argument.trimming(" ")
        guard !trimmed.isEmpty else { return .success(.stop(status: nil, reason: "")) }
        let code = trimmed.prefix { $0 != " " }
        guard let status = statusCode(code) else {
            return .failure(RouteProblem("action \"break\" expects nothing or STATUS [REASON], got \(RouteNames.quoted(argument))"))
        }
        let reason = trimmed.dropFirst(code.count).trimming(" ")
        return .success(.stop(status: status, reason: reason))
    }

    private static func statusCode(_ text: Substring) -> Int? {
        let text = text.trimming(" ")
        guard text.count == 3, text.allSatisfy(\.isASCIIDigit), let code = Int(text), (100...599).contains(code) else {
            return nil
        }
        return code
    }
}

/// Where a `goto` jumps: the rule index, resolved at load time when the label is literal; else the
/// label is expanded per request and looked up then.
public struct RouteJump: Sendable, Equatable {
    public var target: RouteTemplate
    public var position: Int?
}

extension StringProtocol {
    func trimming(_ character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
