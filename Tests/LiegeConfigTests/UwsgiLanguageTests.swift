import Testing
@testable import LiegeConfig

/// The parts of uWSGI's config language real configs use (issue 16): loops over globs and lines,
/// `@(exec://...)`, `%m`, `ini = :section`, `set-ph`, placeholder cycles.
@Suite struct UwsgiLanguageTests {
    @Test func forGlobRunsOncePerMatchingPathInOrder() {
        let box = Sandbox()
        box.write("conf.d/b.ini", "")
        box.write("conf.d/a.ini", "")
        box.write("conf.d/skip.txt", "")
        #expect(box.values(ini: "for-glob = conf.d/*.ini\nenv = F=%(_)\nendfor\n", "env")
            == ["F=\(box.directory)/conf.d/a.ini", "F=\(box.directory)/conf.d/b.ini"])
        #expect(box.values(ini: "for-glob = nothing/*.ini\nenv = F=%(_)\nendfor\nenv = AFTER=1\n", "env") == ["AFTER=1"])
    }

    @Test func forReadlineRunsOncePerNonEmptyLine() {
        let box = Sandbox()
        box.write("names.txt", "one\n\n  two  \n")
        #expect(box.values(ini: "for-readline = names.txt\nenv = N_%(_)=%(_)\nendfor\n", "env") == ["N_one=one", "N_two=two"])
    }

    @Test func forReadlineOfAMissingFileIsLocated() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nfor-readline = gone.txt\nenv = X=1\nendfor\n")
        #expect(box.errors(["app.ini"]) == ["app.ini:2: cannot read \"gone.txt\" for \"for-readline\""])
    }

    @Test func loopVariableWorksInKeys() {
        let box = Sandbox()
        #expect(box.values(ini: "for = 1 2\nset-ph = port%(_)=80%(_)\nendfor\nenv = P=%(port2)\n", "env") == ["P=802"])
    }

    @Test func loopsDoNotNest() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nfor = a\nfor-glob = *\nendfor\nendfor\n")
        #expect(box.errors(["app.ini"]).first == "app.ini:3: \"for-glob\" inside a \"for\" block (blocks do not nest)")
    }

    @Test func execGivesTheCommandOutputMinusOneNewline() {
        let box = Sandbox()
        #expect(box.values(ini: "env = A=@(exec://printf 'x\\n\\n')\nenv = B=@(exec://echo %n)\n", "env") == ["A=x\n", "B=app"])
    }

    @Test func failingExecIsLocated() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nenv = A=@(exec://exit 4)\n")
        #expect(box.errors(["app.ini"]) == ["app.ini:2: \"@(exec://exit 4)\": the command exited with status 4"])
    }

    @Test func percentMStaysAsWritten() {
        let box = Sandbox()
        #expect(box.values(ini: "logdate = %%Y-%m-%%d\n", "logdate") == ["%Y-%m-%d"])
    }

    @Test func iniColonSectionReadsTheSameFile() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nprocesses = 2\nini = :prod\n[prod]\nprocesses = 8\nenv = SECTION=%x\n")
        #expect(box.printed(["app.ini"]) == "processes = 8\nenv = SECTION=prod\n")
    }

    @Test func setPhIsSetPlaceholder() {
        let box = Sandbox()
        #expect(box.values(ini: "set-ph = base=/srv\nchdir = %(base)/app\n", "chdir") == ["/srv/app"])
    }

    @Test func unusedPlaceholderCycleIsAnError() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nset-ph = a=%(b)\nset-ph = b=x%(a)\nset-ph = c=%(c)\n")
        #expect(box.errors(["app.ini"]) == [
            "app.ini:2: placeholder cycle: a -> b -> a",
            "app.ini:3: placeholder cycle: b -> a -> b",
            "app.ini:4: placeholder cycle: c -> c",
        ])
    }

    @Test func pluginNames() {
        #expect(PluginNames.names(in: "python3, http /usr/lib/uwsgi/router_static_plugin.so 0:logfile")
            == ["python3", "http", "router_static", "logfile"])
        for name in ["python", "python3", "python311", "python3.11", "python39", "http", "router_static", "syslog"] {
            #expect(PluginNames.isBuiltIn(name), "\(name)")
        }
        for name in ["python27", "python2", "php", "gevent", "router_cache", "python3x"] {
            #expect(!PluginNames.isBuiltIn(name), "\(name)")
        }
        #expect(PluginNames.problem("python3,http") == nil)
        #expect(PluginNames.problem("python3,gevent")?.contains("threads") == true)
        #expect(PluginNames.problem("python27")?.contains("Python 3") == true)
        #expect(PluginNames.problem("nope")?.hasPrefix("names unknown plugin \"nope\"") == true)
    }

    @Test func refusedAndCheckedLoadingOptions() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nplugins = psgi\ngevent = 100\nvhost = true\nvhost = false\numask = 8\nuid = no-such-user-zz\n")
        let errors = box.errors(["app.ini"])
        #expect(errors.count == 5, "\(errors)")
        #expect(errors.first?.hasPrefix("app.ini:2: \"plugins\" names plugin \"psgi\", which Liege cannot provide") == true)
        #expect(errors.last == "app.ini:7: \"uid\" names user \"no-such-user-zz\", which does not exist")
        #expect(box.values(ini: "uwsgi-socket = :3031\numask = 0027\n", "socket") == [":3031"])
    }

    @Test func processTitles() throws {
        let box = Sandbox()
        box.write("shop.ini", "[uwsgi]\nprocname-prefix-spaced = [x]\n")
        let config = try #require(box.load(["shop.ini"]).config)
        #expect(ProcessTitles(config).master(name: "shop") == "[x] liege master shop")
        #expect(ProcessTitles(config).worker(id: 2, name: "shop") == "[x] liege worker 2 shop")
        box.write("shop.ini", "[uwsgi]\nprocname = web\nprocname-prefix = p-\n")
        let renamed = try #require(box.load(["shop.ini"]).config)
        #expect(ProcessTitles(renamed).master(name: "shop") == "p-web master")
        #expect(ProcessTitles(renamed).worker(id: 1, name: "shop") == "p-web worker 1")
    }
}
