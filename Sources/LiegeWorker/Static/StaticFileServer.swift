import LiegeHTTP
import LiegePython
import LiegeSystem

/// Serves files for `static-map`, `static-map2` and `check-static` before the app (SPEC §11).
/// One per worker thread (it owns a read buffer); built from `StaticSettings`.
final class StaticFileServer {
    private let settings: StaticSettings
    private let opener: StaticFileOpener
    private let responder: StaticResponder
    private let log: (String) -> Void

    /// Nil when the config maps no static files (the app then sees every request untouched), unless
    /// `forRouting` (routing's `static:` action serves files without static-map rules).
    init?(settings: StaticSettings, forRouting: Bool = false, log: @escaping (String) -> Void) {
        guard settings.isEnabled || forRouting else { return nil }
        let anchored = settings.anchored(at: ProcessFacts.current.workingDirectory)
        self.settings = anchored
        self.log = log
        opener = StaticFileOpener(safeRoots: anchored.safeRoots)
        var texts: [String] = []
        for file in anchored.mimeFiles {
            if let bytes = try? Posix.readFile(file) { texts.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let expires = ExpiresPolicy(anchored.expires)
        for pattern in expires.invalidPatterns { log("static files: invalid regular expression \(pattern.debugDescription) ignored") }
        responder = StaticResponder(settings: anchored, mime: MIMETable(mimeTypesTexts: texts), expires: expires)
    }

    /// The status sent when a file (or a refusal) answered the request; nil to let the app answer.
    func serve(_ wsgiRequest: WSGIRequest, exchange: RequestExchange) -> Int? {
        let request = StaticRequest(wsgiRequest)
        guard request.isGetOrHead else { return nil }
        let path = request.pathInfo
        var checked = false
        for rule in settings.rules {
            guard let candidate = rule.candidate(for: path) else { continue }
            if !checked {
                checked = true
                switch StaticPath.check(path) {
                case .safe: break
                case .nulByte: return refuse(400, exchange: exchange)
                case .traversal:
                    log("security: refused a path with \"..\" or a backslash: \(printable(path))")
                    return refuse(403, exchange: exchange)
                }
                if settings.skipExtensions.contains(where: { StaticPath.hasSuffix(path, $0) }) { return nil }
            }
            let outcome = opener.open(candidate, root: rule.root)
            if case .directory = outcome {
                if let status = serveIndex(of: candidate, rule: rule, request: request, exchange: exchange) { return status }
            } else if let status = answer(outcome, candidate: candidate, rule: rule, request: request, exchange: exchange) {
                return status
            }
        }
        return nil
    }

    /// Routing's `static:PATH`: that file, whatever the static-map rules say (404 when it is not a file).
    func serveFile(_ path: [UInt8], request wsgiRequest: WSGIRequest, exchange: RequestExchange) -> Int {
        switch StaticPath.check(path) {
        case .safe: break
        case .nulByte: return refuse(400, exchange: exchange)
        case .traversal:
            log("security: routing refused a static path with \"..\" or a backslash: \(printable(path))")
            return refuse(403, exchange: exchange)
        }
        switch opener.open(path, root: [0x2F]) {
        case .file(let file):
            return responder.send(file, candidate: path, root: [0x2F], request: StaticRequest(wsgiRequest), opener: opener,
                                  exchange: exchange)
        case .notFound:
            exchange.sendError(404, keepAlive: exchange.keepAlive)
            return 404
        case .directory, .denied, .escaped:
            log("routing: static file not readable by the worker: \(printable(path))")
            return refuse(403, exchange: exchange)
        }
    }

    /// The first `static-index` file of a directory; nil when there is none (the next rule, then the app).
    private func serveIndex(of directory: [UInt8], rule: StaticRule, request: StaticRequest,
                            exchange: RequestExchange) -> Int? {
        for name in settings.indexNames {
            var candidate = directory
            if candidate.last != 0x2F { candidate.append(0x2F) }
            candidate.append(contentsOf: name)
            let outcome = opener.open(candidate, root: rule.root)
            if case .directory = outcome { continue }
            if let status = answer(outcome, candidate: candidate, rule: rule, request: request, exchange: exchange) {
                return status
            }
        }
        return nil
    }

    /// Sends the file or the refusal; nil when there is nothing here.
    private func answer(_ outcome: StaticFileOpener.Outcome, candidate: [UInt8], rule: StaticRule,
                        request: StaticRequest, exchange: RequestExchange) -> Int? {
        switch outcome {
        case .file(let file):
            return responder.send(file, candidate: candidate, root: rule.root, request: request, opener: opener,
                                  exchange: exchange)
        case .notFound, .directory:
            return nil
        case .denied:
            log("static file not readable by the worker: \(printable(candidate))")
            return refuse(403, exchange: exchange)
        case .escaped(let real):
            log("security: \(printable(candidate)) resolves to \(printable(real)), outside \(printable(rule.root))")
            return refuse(403, exchange: exchange)
        }
    }

    private func refuse(_ status: Int, exchange: RequestExchange) -> Int {
        exchange.sendError(status)
        exchange.keepAlive = false
        return status
    }

    private func printable(_ path: [UInt8]) -> String {
        String(decoding: path, as: UTF8.self).debugDescription
    }
}
