import Foundation
import LiegeHTTP
import Testing
@testable import LiegeConfig

/// `config[.option]`: one parser per option, shared by the loader's check and every reader.
@Suite struct TypedOptionTests {
    private func config(_ ini: String) throws -> Config {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\n" + ini)
        return try #require(box.load(["app.ini"]).config, "\(box.load(["app.ini"]).errors)")
    }

    private func errors(_ ini: String) -> [String] {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\n" + ini)
        return box.load(["app.ini"]).errors.map { $0.description.replacingOccurrences(of: box.directory + "/", with: "") }
    }

    @Test func everyRegistryDefaultPassesItsOwnParser() {
        #expect(OptionRegistry.unparsableDefaults == [])
    }

    @Test func unsetOptionsGiveTheRegistryDefault() throws {
        let empty = Config(entries: [], name: "liege", sourceFile: nil, arguments: [])
        #expect(empty[.harakiri] == 0)
        #expect(empty[.processes] == 1)
        #expect(empty[.reloadMercy] == 60)
        #expect(empty[.minWorkerLifetime] == 10)
        #expect(empty[.httpKeepalive] == 5)
        #expect(empty[.needApp] && empty[.lazyApps] && !empty[.vacuum])
        #expect(empty[.callable] == "application")
        #expect(empty[.logFormat] == OptionRegistry.defaultLogFormat)
        #expect(empty[.cheaperAlgorithm] == .spare)
        #expect(empty[.mimeFiles] == ["/etc/mime.types"])
        #expect(empty[.httpTimeout] == nil && empty[.chdir] == nil && empty[.uwsgiSockets] == [])
        #expect(!empty.isSet(.reloadMercy))
    }

    @Test func valuesComeTypedFromTheirCanonicalText() throws {
        let loaded = try config("""
        harakiri = 30
        http-keepalive = true
        post-buffering = 64K
        chmod-socket = 660
        umask = 0027
        need-app = no
        asgi-loop = UVLoop
        cheaper-algo = backlog
        env = A=1=2
        add-header = X-Served-By:  liege
        logdate = off
        http-socket = :8000
        http-socket = :8001
        """)
        #expect(loaded[.harakiri] == 30)
        #expect(loaded[.httpKeepalive] == 5)
        #expect(loaded[.postBuffering] == 65536)
        #expect(loaded[.chmodSocket] == 0o660)
        #expect(loaded[.umask] == 0o27)
        #expect(!loaded[.needApp])
        #expect(loaded[.asgiLoop] == "uvloop")
        #expect(loaded[.cheaperAlgorithm] == .backlog)
        #expect(loaded[.env] == [KeyValue(key: "A", value: "1=2")])
        #expect(loaded[.addHeader] == [HeaderLine(name: "X-Served-By", value: "liege")])
        #expect(loaded[.logDate] == "")
        #expect(loaded[.httpSockets] == [":8000", ":8001"])
        #expect(loaded.isSet(.harakiri))
    }

    @Test func aWorkerParsesTheSerializedConfigToTheSameValues() throws {
        let loaded = try config("""
        static-map = /s=/srv/static
        check-static = /srv/www
        static-expires-uri = \\.css$ 3600
        static-expires = \\.png$ 60
        cron = 0 -1 -1 -1 -1 echo hi
        hook-as-root = exec:echo one
        exec-as-root = echo two
        attach-daemon = sleep 100
        """)
        let copy = Config(serialized: loaded.serialized())
        #expect(copy.inOrder([.staticMap, .staticMap2, .checkStatic]) == loaded.inOrder([.staticMap, .staticMap2, .checkStatic]))
        #expect(copy.inOrder([.staticMap, .staticMap2, .checkStatic]).map(\.kind) == [.map, .check])
        #expect(copy.inOrder(Option.staticExpiresFamilies).map(\.pattern) == ["\\.css$", "\\.png$"])
        #expect(copy[.cron].map(\.command) == ["echo hi"])
        #expect(copy.inOrder(Option.hooks(.asRoot)) == [.exec("echo one"), .exec("echo two")])
        #expect(copy[.attachDaemon].map(\.command) == ["sleep 100"])
    }

    @Test func expiresRulesArriveCompiled() throws {
        let rules = try config("static-expires-uri = \\.(css|js)$ 3600\nstatic-expires-type = text/css=60\n")
            .inOrder(Option.staticExpiresFamilies)
        #expect(rules.map(\.seconds) == [3600, 60])
        let regex = try #require(rules.first?.regex)
        #expect("/app.css".contains(regex.regex))
        #expect(rules.last?.regex == nil)
        var policy = ExpiresPolicy(rules)
        #expect(policy.invalidPatterns == [])
        let expiry = policy.evaluate(path: "", pathInfo: "", uri: "/a.js", contentType: "", modified: 0, now: 10)
        #expect(expiry?.expires == 3610 && expiry?.maxAge == 3600)
    }

    @Test func oneCompiledRuleServesManyThreads() async throws {
        let rules = try config("static-expires-uri = ^/static/.*\\.css$ 3600\n").inOrder(Option.staticExpiresFamilies)
        let matches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var policy = ExpiresPolicy(rules)
                    var found = 0
                    for index in 0..<200 where policy.evaluate(path: "", pathInfo: "", uri: "/static/\(task)-\(index).css",
                                                               contentType: "", modified: 0, now: 0) != nil {
                        found += 1
                    }
                    return found
                }
            }
            return await group.reduce(0, +)
        }
        #expect(matches == 8 * 200)
    }

    /// `add-header` had no check: the worker dropped a value without a colon. Now it is a located error.
    @Test func aHeaderWithoutAColonIsALocatedError() {
        #expect(errors("add-header = X-Frame-Options DENY\n")
                == ["app.ini:2: \"add-header\" expects \"Name: value\", got \"X-Frame-Options DENY\""])
        #expect(errors("add-header = : nameless\n").count == 1)
    }

    /// The expires grammar is LiegeHTTP's one parser: a shape it refuses is refused at load, at its line.
    @Test func expiresShapesAreLocatedErrors() {
        #expect(errors("static-expires = \\.css\n") == ["app.ini:2: \"static-expires\" expects REGEX SECONDS, got \"\\.css\""])
        #expect(errors("static-expires-type = =60\n") == ["app.ini:2: \"static-expires-type\" expects MIME=SECONDS, got \"=60\""])
        #expect(errors("static-expires-uri = a(b 60\n").first?.hasPrefix("app.ini:2: \"static-expires-uri\" has an invalid regular expression \"a(b\"") == true)
        #expect(errors("static-map = /s=\n") == ["app.ini:2: \"static-map\" expects /prefix=path, got \"/s=\""])
    }

    @Test func keysOfTheRegistryOnly() {
        #expect(Option<Int>.harakiri.name == "harakiri")
        #expect(Option<[String]>.uwsgiSockets.name == "socket")
        #expect(Option.hooks(.masterStart).map(\.name) == ["hook-master-start"])
        #expect(Option.hooks(.asap).map(\.name) == ["hook-asap", "exec-asap"])
    }
}

/// "No code outside LiegeConfig reads an option by its string name": the getters by name are internal to
/// LiegeConfig (the compiler enforces that); this also catches a look-up in `config.entries` by a literal
/// option name (`$0.key == "harakiri"`, `entries.filter { ... "socket" }`).
@Suite struct NoStringKeyReadsTests {
    @Test func sourcesOutsideLiegeConfigNeverNameAnOptionNextToConfigEntries() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let names = Set(OptionRegistry.all.flatMap(\.allNames))
        let literal = try Regex(#""([a-z0-9][a-z0-9-]*)""#)
        var found: [String] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        #expect(files.contains { $0.hasPrefix("LiegeWorker/") })
        for file in files where file.hasSuffix(".swift") && !file.hasPrefix("LiegeConfig/") {
            let text = try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(".entries") || line.contains(".key ==") || line.contains("key: \"") {
                for match in line.matches(of: literal) {
                    if let name = match.output[1].substring, names.contains(String(name)) {
                        found.append("\(file):\(number + 1): \(name)")
                    }
                }
            }
        }
        #expect(found == [])
    }
}
