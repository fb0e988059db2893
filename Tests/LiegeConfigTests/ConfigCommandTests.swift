import Testing
@testable import LiegeConfig

@Suite struct ConfigCommandTests {
    static let ini = """
    [uwsgi]
    ; the shop, served over HTTP and uwsgi
    http-socket = :8080
    socket = /run/shop.sock
    socket = 127.0.0.1:3031
    master
    processes = 4
    threads = 2
    module = shop.wsgi:application
    env = DJANGO_SETTINGS_MODULE=shop.settings
    env = MODE=%(mode)
    mode = production
    vacuum = yes
    buffer-size = 32K
    harakiri = 30
    processes = 6
    chmod-socket = 660

    """

    static let yaml = """
    uwsgi:
      # the shop, served over HTTP and uwsgi
      http-socket: :8080
      socket:
        - /run/shop.sock
        - 127.0.0.1:3031
      master:
      processes: 4
      threads: 2
      module: shop.wsgi:application
      env: [DJANGO_SETTINGS_MODULE=shop.settings, "MODE=%(mode)"]
      mode: production
      vacuum: yes
      buffer-size: 32K
      harakiri: 30
      processes: 6
      chmod-socket: "660"

    """

    static let commandLine = [
        "--http-socket", ":8080", "--socket", "/run/shop.sock", "--socket=127.0.0.1:3031", "--master",
        "--processes", "4", "--threads", "2", "--module", "shop.wsgi:application",
        "--env", "DJANGO_SETTINGS_MODULE=shop.settings", "--env", "MODE=%(mode)", "--mode", "production",
        "--vacuum", "--buffer-size", "32K", "--harakiri", "30", "--processes", "6", "--chmod-socket", "660",
    ]

    static let expected = """
    http-socket = :8080
    socket = /run/shop.sock
    socket = 127.0.0.1:3031
    master = true
    processes = 6
    threads = 2
    module = shop.wsgi:application
    env = DJANGO_SETTINGS_MODULE=shop.settings
    env = MODE=production
    vacuum = true
    buffer-size = 32768
    harakiri = 30
    chmod-socket = 660

    """

    @Test func iniYamlAndCommandLinePrintIdenticalBytes() {
        let box = Sandbox()
        box.write("shop.ini", Self.ini)
        box.write("shop.yaml", Self.yaml)
        let fromIni = ConfigCommand.run(arguments: ["--print-config", "--ini", "shop.ini"], host: box.host)
        let fromYaml = ConfigCommand.run(arguments: ["--print-config", "shop.yaml"], host: box.host)
        let fromArguments = ConfigCommand.run(arguments: ["--print-config"] + Self.commandLine, host: box.host)
        #expect(fromIni == ConfigCommand.Result(status: 0, output: Self.expected, errorOutput: ""))
        #expect(fromYaml == fromIni)
        #expect(fromArguments == fromIni)
    }

    @Test func checkConfigReportsEveryErrorAndExitsOne() {
        let box = Sandbox()
        box.write("bad.ini", "[uwsgi]\nmaster = true\nprocesess = 4\nthreads = -1\n")
        let result = ConfigCommand.run(arguments: ["--check-config", "--ini", "bad.ini"], host: box.host)
        #expect(result.status == 1)
        #expect(result.output == "")
        #expect(result.errorOutput == "bad.ini:3: unknown option \"procesess\" (did you mean \"processes\"?)\nbad.ini:4: \"threads\" must not be negative, got \"-1\"\n")
        box.write("good.ini", "[uwsgi]\nmaster = true\n")
        #expect(ConfigCommand.run(arguments: ["--check-config", "good.ini"], host: box.host) == ConfigCommand.Result(status: 0, output: "", errorOutput: ""))
    }

    @Test func printConfigOmitsPlaceholdersAndDirectives() {
        let box = Sandbox()
        box.write("a.ini", "[uwsgi]\nset-ph = port=81\nbase = /srv\nchdir = %(base)\nhttp-socket = :%(port)\ninclude = b.ini\n")
        box.write("b.ini", "[uwsgi]\nmaster = off\n")
        let result = ConfigCommand.run(arguments: ["--print-config", "a.ini"], host: box.host)
        #expect(result.output == "chdir = /srv\nhttp-socket = :81\nmaster = false\n")
    }

    @Test func warningsGoToErrorOutput() {
        let box = Sandbox()
        let result = ConfigCommand.run(arguments: ["--print-config", "--http", ":9090"], host: box.host)
        #expect(result.output == "http-socket = :9090\n")
        #expect(result.errorOutput == "warning: command line: --http: \"http\" is read as \"http-socket\" (Liege has no separate HTTP router)\n")
    }

    @Test func versionAndHelp() {
        let box = Sandbox()
        #expect(ConfigCommand.run(arguments: ["--version"], host: box.host).output == "liege 0.1.0\n")
        let help = ConfigCommand.run(arguments: ["--help"], host: box.host)
        #expect(help.status == 0)
        #expect(help.output.hasPrefix("Usage: liege"))
        for spec in OptionRegistry.all {
            #expect(help.output.contains("--\(spec.name)"), "help lacks --\(spec.name)")
        }
        #expect(ConfigCommand.run(arguments: ["-h"], host: box.host).output == help.output)
    }

    @Test func handlesOnlyToolArguments() {
        #expect(ConfigCommand.handles(["--print-config", "a.ini"]))
        #expect(ConfigCommand.handles(["--check-config"]))
        #expect(ConfigCommand.handles(["--print-options-markdown"]))
        #expect(!ConfigCommand.handles(["--ini", "a.ini", "--processes", "2"]))
    }
}
