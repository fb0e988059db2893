import Testing
@testable import LiegeConfig

@Suite struct ConfigTests {
    @Test func gettersFallBackToRegistryDefaults() {
        let config = Config(entries: [], name: "liege", sourceFile: nil, arguments: [])
        #expect(config.string("callable") == "application")
        #expect(config.int("processes") == 1)
        #expect(config.int("listen") == 1024)
        #expect(config.bool("need-app") == true)
        #expect(config.bool("master") == false)
        #expect(config.bytes("buffer-size") == 65535)
        #expect(config.seconds("socket-timeout") == 30)
        #expect(config.seconds("min-worker-lifetime") == 10)
        #expect(config.string("module") == nil)
        #expect(config.octal("chmod-socket") == nil)
        #expect(config.list("socket").isEmpty)
        #expect(config.isSet("processes") == false)
    }

    @Test func nameSourceFileAndArguments() {
        let box = Sandbox()
        box.write("conf/shop.ini", "[uwsgi]\nprocesses = 2\ninclude = more.ini\n")
        box.write("conf/more.ini", "[uwsgi]\nmaster = true\n")
        let arguments = ["--master", "conf/shop.ini", "--processes", "3"]
        let config = box.load(arguments).config
        #expect(config?.name == "shop")
        #expect(config?.sourceFile == box.directory + "/conf/shop.ini")
        #expect(config?.arguments == arguments)
        #expect(box.load(["--processes", "2"]).config?.name == "liege")
        #expect(box.load(["--processes", "2"]).config?.sourceFile == nil)
    }

    @Test func entriesUseCanonicalNamesAndValues() {
        let box = Sandbox()
        let config = box.load(["--workers", "3", "--venv", "/v", "--vacuum=YES", "--buffer-size", "32K"]).config
        #expect(config?.entries == [
            ConfigEntry(key: "processes", value: "3"), ConfigEntry(key: "virtualenv", value: "/v"),
            ConfigEntry(key: "vacuum", value: "true"), ConfigEntry(key: "buffer-size", value: "32768"),
        ])
    }

    @Test func serializationRoundTripsAnyValueWithoutExpansion() {
        let values = ["plain", "a=b=c", "100%", "%(x) %d $(HOME) @(f)", "line1\nline2", "back\\slash\\n", "cr\r\nlf", "", "=", "é ☃"]
        let config = Config(entries: values.map { ConfigEntry(key: "env", value: $0) } + [ConfigEntry(key: "module", value: "app")],
                            name: "shop\nx", sourceFile: "/srv/shop=1.ini", arguments: ["--ini", "a b\nc", ""])
        let copy = Config(serialized: config.serialized())
        #expect(copy.entries == config.entries)
        #expect(copy.name == config.name)
        #expect(copy.sourceFile == config.sourceFile)
        #expect(copy.arguments == config.arguments)
        let none = Config(serialized: Config(entries: [], name: "liege", sourceFile: nil, arguments: []).serialized())
        #expect(none.sourceFile == nil)
        #expect(none.entries.isEmpty)
    }

    @Test func loadedConfigRoundTrips() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nlog-format = %(method) %%s 100%%\nenv = A=%%(x)\nprocesses = 2\n")
        guard let config = box.load(["app.ini"]).config else {
            Issue.record("did not load")
            return
        }
        #expect(config.string("log-format") == "%(method) %s 100%")
        #expect(config.list("env") == ["A=%(x)"])
        #expect(Config(serialized: config.serialized()).entries == config.entries)
    }

    @Test func publicLoadUsesTheRealHost() throws {
        let box = Sandbox()
        box.write("real.ini", "[uwsgi]\nenv = H=%h\nenv = K=%k\nenv = V=%v\nenv = E=$(LIEGE_TEST_VALUE)\n")
        let config = try Config.load(arguments: ["real.ini"], environment: ["LIEGE_TEST_VALUE": "42"], workingDirectory: box.directory)
        let host = HostFacts.current(environment: [:], workingDirectory: box.directory)
        #expect(!host.hostname.isEmpty && host.cpuCount >= 1 && host.uid >= 0 && !host.userName.isEmpty)
        #expect(config.list("env") == ["H=\(host.hostname)", "K=\(host.cpuCount)", "V=\(box.directory)", "E=42"])
        #expect(config.name == "real")
        #expect(throws: ConfigErrors.self) {
            try Config.load(arguments: ["--procesess", "2"], environment: [:], workingDirectory: box.directory)
        }
    }
}
