import Testing
@testable import LiegeConfig

@Suite struct CommandLineTests {
    @Test func valueFormsAndBareBooleans() {
        let box = Sandbox()
        let config = box.load(["--processes", "3", "--socket=:3031", "--master", "--module", "app:application"]).config
        #expect(config?.int("processes") == 3)
        #expect(config?.list("socket") == [":3031"])
        #expect(config?.bool("master") == true)
        #expect(config?.string("module") == "app:application")
        #expect(box.load(["--master=false"]).config?.bool("master") == false)
        #expect(box.load(["--master", "false", "--vacuum", "YES"]).config?.entries == [
            ConfigEntry(key: "master", value: "false"), ConfigEntry(key: "vacuum", value: "true"),
        ])
    }

    @Test func bareBooleanDoesNotSwallowTheNextArgument() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nprocesses = 2\n")
        let config = box.load(["--vacuum", "app.ini"]).config
        #expect(config?.bool("vacuum") == true)
        #expect(config?.int("processes") == 2)
    }

    @Test func configFilesExpandInPlaceLeftToRight() {
        let box = Sandbox()
        box.write("a.ini", "[uwsgi]\nprocesses = 3\n")
        #expect(box.load(["--processes", "2", "--ini", "a.ini", "--processes", "4"]).config?.int("processes") == 4)
        #expect(box.load(["--processes", "2", "--ini", "a.ini"]).config?.int("processes") == 3)
        #expect(box.load(["--processes", "9", "a.ini"]).config?.int("processes") == 3)
    }

    @Test func optionalValueOptions() {
        let box = Sandbox()
        #expect(box.load(["--chmod-socket"]).config?.string("chmod-socket") == "666")
        #expect(box.load(["--chmod-socket", "660"]).config?.string("chmod-socket") == "660")
        #expect(box.load(["--chmod=600"]).config?.octal("chmod-socket") == 0o600)
        #expect(box.load(["--http-keepalive", "--master"]).config?.seconds("http-keepalive") == 5)
        #expect(box.load(["--http-keepalive", "true"]).config?.seconds("http-keepalive") == 5)
        #expect(box.load(["--http-keepalive", "12"]).config?.seconds("http-keepalive") == 12)
    }

    @Test func errorsNameTheArgument() {
        let box = Sandbox()
        #expect(box.errors(["--procesess", "4"]) == ["command line: --procesess: unknown option \"procesess\" (did you mean \"processes\"?)"])
        #expect(box.errors(["--socket"]) == ["command line: --socket: needs a value"])
        #expect(box.errors(["stray"]) == ["command line: stray: unexpected argument (options start with \"--\"; config files end in .ini, .yaml or .yml)"])
        #expect(box.errors(["--processes", "four"]) == ["command line: --processes: \"processes\" expects a whole number, got \"four\""])
    }

    @Test func unsupportedConfigFormatsAreNotConfigFiles() {
        #expect(CommandLineReader.configKind(of: "app.json") == nil)
        #expect(CommandLineReader.configKind(of: "app.xml") == nil)
        #expect(CommandLineReader.configKind(of: "app.INI") == "ini")
        #expect(CommandLineReader.configKind(of: "app.yaml:prod") == "yaml")
    }

    @Test func jsonAndXmlAreNotSupported() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\ninclude = other.json\n")
        let message = "JSON and XML configs are not supported (use INI or YAML)"
        #expect(box.errors(["app.json"]) == ["command line: app.json: \(message)"])
        #expect(box.errors(["--json", "app.json", "--xml", "app.xml"]) == ["command line: --json: \(message)", "command line: --xml: \(message)"])
        #expect(box.errors(["app.ini"]) == ["app.ini:2: \(message)"])
    }
}
