import Testing
@testable import LiegeConfig

@Suite struct ValidationTests {
    private func check(_ option: String, _ value: String) -> Result<String, ValueError> {
        guard let spec = OptionRegistry.spec(named: option) else { return .failure(ValueError("no such option")) }
        return OptionValidator.normalize(value, for: spec)
    }

    @Test(arguments: [("true", "true"), ("YES", "true"), ("On", "true"), ("1", "true"),
                      ("false", "false"), ("no", "false"), ("OFF", "false"), ("0", "false")])
    func booleans(_ text: String, _ expected: String) {
        #expect(check("master", text) == .success(expected))
    }

    @Test func badBooleansAreErrors() {
        #expect(check("master", "ture") == .failure(ValueError("\"master\" expects a boolean (true/false, yes/no, on/off, 1/0), got \"ture\"")))
        #expect(check("vacuum", "2") == .failure(ValueError("\"vacuum\" expects a boolean (true/false, yes/no, on/off, 1/0), got \"2\"")))
    }

    @Test func integers() {
        #expect(check("processes", "4") == .success("4"))
        #expect(check("processes", "004") == .success("4"))
        #expect(check("processes", "4x") == .failure(ValueError("\"processes\" expects a whole number, got \"4x\"")))
        #expect(check("processes", "-1") == .failure(ValueError("\"processes\" must not be negative, got \"-1\"")))
        #expect(check("processes", "0") == .failure(ValueError("\"processes\" must be between 1 and 4096, got \"0\"")))
        #expect(check("max-requests", "99999999999999999999999") == .failure(ValueError("\"max-requests\" must be between 0 and 2147483647, got \"99999999999999999999999\"")))
        #expect(check("harakiri", "30") == .success("30"))
        #expect(check("harakiri", "1.5") == .failure(ValueError("\"harakiri\" expects a whole number, got \"1.5\"")))
        #expect(check("reload-on-rss", "512") == .success("512"))
    }

    @Test func sizes() {
        #expect(check("buffer-size", "32768") == .success("32768"))
        #expect(check("buffer-size", "64K") == .success("65536"))
        #expect(check("buffer-size", "1m") == .success("1048576"))
        #expect(check("buffer-size", "1G") == .failure(ValueError("\"buffer-size\" must be between 1024 and 67108864, got \"1G\"")))
        #expect(check("buffer-size", "64KB") == .failure(ValueError("\"buffer-size\" expects a size in bytes (like 65535, 64K, 1M), got \"64KB\"")))
    }

    @Test(arguments: [":8080", "127.0.0.1:3031", "localhost:80", "[::1]:8000", "[::]:80", "/run/app.sock", "@abstract",
                      "./app.sock", "app.sock", "run/app.sock", "0.0.0.0:0", "*:80"])
    func validAddresses(_ address: String) {
        #expect(check("socket", address) == .success(address))
    }

    @Test(arguments: ["8080", "", "host:", "host:99999", "[::1]8000", "a b:80", "@", "host:port", "localhost"])
    func invalidAddresses(_ address: String) {
        #expect(throws: ValueError.self) { try check("socket", address).get() }
    }

    @Test func octalAndKeepalive() {
        #expect(check("chmod-socket", "660") == .success("660"))
        #expect(check("chmod-socket", "0660") == .failure(ValueError("\"chmod-socket\" expects three octal digits (like 660), got \"0660\"")))
        #expect(check("chmod-socket", "680") == .failure(ValueError("\"chmod-socket\" expects three octal digits (like 660), got \"680\"")))
        #expect(check("http-keepalive", "True") == .success("5"))
        #expect(check("http-keepalive", "off") == .success("0"))
        #expect(check("http-keepalive", "7") == .success("7"))
    }

    @Test func keyValues() {
        #expect(check("env", "A=1") == .success("A=1"))
        #expect(check("env", "A") == .failure(ValueError("\"env\" expects name=value, got \"A\"")))
        #expect(check("env", "=1") == .failure(ValueError("\"env\" expects name=value, got \"=1\"")))
    }

    @Test func allErrorsAreReportedTogetherInOrder() {
        let box = Sandbox()
        box.write("app.yaml", "uwsgi:\n  processes: -2\n  master: ture\n  socket: 8000\n  procesess: 2\n")
        #expect(box.errors(["app.yaml", "--threads", "0", "--listen=x"]) == [
            "command line: --threads: \"threads\" must be between 1 and 1024, got \"0\"",
            "command line: --listen: \"listen\" expects a whole number, got \"x\"",
            "app.yaml:2:3: \"processes\" must not be negative, got \"-2\"",
            "app.yaml:3:3: \"master\" expects a boolean (true/false, yes/no, on/off, 1/0), got \"ture\"",
            "app.yaml:4:3: \"socket\" expects a socket address (host:port, :port, [v6]:port, /path or @name), got \"8000\" (did you mean \":8000\"?)",
            "app.yaml:5:3: unknown option \"procesess\" (did you mean \"processes\"?)",
        ])
    }

    @Test func httpIsReadAsHttpSocketWithANotice() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nhttp = :8080\n")
        let outcome = box.load(["app.ini"])
        #expect(outcome.config?.list("http-socket") == [":8080"])
        #expect(outcome.warnings == ["app.ini:2: \"http\" is read as \"http-socket\" (Liege has no separate HTTP router)"])
    }

    @Test func hugeValuesAreCutShortInMessages() {
        let box = Sandbox()
        let errors = box.errors(ini: "processes = \(String(repeating: "9x", count: 5000))\n")
        #expect(errors.count == 1)
        #expect((errors.first?.count ?? 0) < 200)
    }

    @Test func messagesStayOnOneLine() {
        #expect(Quoted.text("a\nb\t\u{1}\"") == "\"a\\nb\\t\\u{1}\\\"\"")
        #expect(Quoted.text(String(repeating: "x", count: 100)) == "\"" + String(repeating: "x", count: 80) + "\"... (100 bytes)")
        let box = Sandbox()
        box.write("two.txt", "1\n2\n")
        #expect(box.errors(ini: "processes = @(two.txt)\n") == ["app.ini:2: \"processes\" expects a whole number, got \"1\\n2\""])
        box.write("app.yaml", "uwsgi:\n  env: \"%\\n\"\n")
        #expect(box.errors(["app.yaml"]) == ["app.yaml:2:3: unknown magic variable \"%\\n\" (write \"%%\\n\" for a literal \"%\\n\")"])
    }

    @Test func errorsFromReadingAndCheckingComeInFileOrder() {
        let box = Sandbox()
        box.write("a.ini", "[uwsgi]\nprocesess = 4\ninclude = b.ini\n[broken\nmaster = ture\n")
        box.write("b.ini", "[uwsgi]\nthreads = x\n")
        #expect(box.errors(["a.ini", "--listen", "-1"]) == [
            "command line: --listen: \"listen\" must not be negative, got \"-1\"",
            "a.ini:2: unknown option \"procesess\" (did you mean \"processes\"?)",
            "a.ini:4: malformed section header \"[broken\"",
            "a.ini:5: \"master\" expects a boolean (true/false, yes/no, on/off, 1/0), got \"ture\"",
            "b.ini:2: \"threads\" expects a whole number, got \"x\"",
        ])
        #expect(ErrorOrder.position(of: "/a:b/c.yaml:4:7") == ErrorOrder.Position(source: "/a:b/c.yaml", line: 4, column: 7))
    }
}
