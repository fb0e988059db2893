import Testing
@testable import LiegeConfig

@Suite struct PlaceholderTests {
    @Test func referencesOptionsAndPlaceholdersForwardAndNested() {
        let box = Sandbox()
        let body = "chdir = %(base)/app\nbase = %(root)/srv\nroot = /data\nmodule = %(name).wsgi\nname = shop\n"
        let config = box.load(["app.ini"])
        _ = config
        #expect(box.values(ini: body, "chdir") == ["/data/srv/app"])
        #expect(box.values(ini: body, "module") == ["shop.wsgi"])
    }

    @Test func effectiveValueIsTheLastAssignedAndFirstListEntry() {
        let box = Sandbox()
        let body = "port = 1\nhttp-socket = :%(port)\nport = 2\nsocket = /a.sock\nsocket = /b.sock\nchdir = %(socket)\nlisten = %(processes)\nprocesses = 3\nprocesses = 4\n"
        #expect(box.values(ini: body, "http-socket") == [":2"])
        #expect(box.values(ini: body, "chdir") == ["/a.sock"])
        #expect(box.values(ini: body, "listen") == ["4"])
    }

    @Test func defaultsAndAliasesAnswer() {
        let box = Sandbox()
        #expect(box.values(ini: "env = L=%(listen)\nenv = W=%(workers)\n", "env") == ["L=1024", "W=1"])
    }

    @Test func nestedNames() {
        let box = Sandbox()
        #expect(box.values(ini: "stage = prod\nport_prod = 80\nhttp-socket = :%(port_%(stage))\n", "http-socket") == [":80"])
    }

    @Test func setAndSetPlaceholder() {
        let box = Sandbox()
        #expect(box.values(ini: "set = processes=6\nset-ph = port=81\nhttp-socket = :%(port)\n", "processes") == ["6"])
        #expect(box.values(ini: "set-placeholder = port=81\nhttp-socket = :%(port)\n", "http-socket") == [":81"])
        #expect(box.errors(ini: "set-ph = processes=3\n") == ["app.ini:2: \"processes\" is an option, not a placeholder (use \"set\" or the option itself)"])
        #expect(box.errors(ini: "set = nothing\n") == ["app.ini:2: \"set\" expects name=value, got \"nothing\""])
    }

    @Test func undefinedAndCycles() {
        let box = Sandbox()
        #expect(box.errors(ini: "chdir = %(x)\n") == ["app.ini:2: \"%(x)\" is not defined (no option or placeholder \"x\")"])
        #expect(box.errors(ini: "chdir = %(a)\na = %(b)\nb = %(a)\n") == ["app.ini:2: placeholder cycle: a -> b -> a"])
        #expect(box.errors(ini: "chdir = %(chdir)\n") == ["app.ini:2: placeholder cycle: chdir -> chdir"])
        #expect(box.errors(ini: "chdir = %(oops\n") == ["app.ini:2: unterminated \"%(\" (missing \")\")"])
    }

    @Test func math() {
        let box = Sandbox()
        let body = "a = 3\nb = 4\nenv = S=%(a + 2 * b)\nenv = T=%(b - a)\nenv = U=%(b / 2)\nenv = C=%(a b)\nenv = I=%(a ++)\nenv = D=%(b --)\nenv = X=%(a + -5)\n"
        #expect(box.values(ini: body, "env") == ["S=20", "T=1", "U=2", "C=34", "I=4", "D=3", "X=-2"])
        #expect(box.errors(ini: "a = 3\nchdir = %(a / 0)\n") == ["app.ini:3: in \"%(a / 0)\": division by zero"])
        #expect(box.errors(ini: "a = x\nchdir = %(a + 1)\n") == ["app.ini:3: in \"%(a + 1)\": \"x + 1\" needs integers"])
        #expect(box.errors(ini: "chdir = %(+ 1)\n") == ["app.ini:2: in \"%(+ 1)\": operator \"+\" needs a value before it"])
    }

    @Test func environment() {
        let box = Sandbox(environment: ["HOME": "/home/a", "EMPTY": ""])
        let body = "env = H=$(HOME)\nenv = D=$(EMPTY:-dflt)\nenv = E=$(EMPTY-dflt)\nenv = U=$(UNSET-x)\nenv = V=$(UNSET:-y)\n"
        #expect(box.values(ini: body, "env") == ["H=/home/a", "D=dflt", "E=", "U=x", "V=y"])
        #expect(box.errors(ini: "chdir = $(NOPE)\n") == ["app.ini:2: environment variable \"NOPE\" is not set (write \"$(NOPE:-default)\" for a default)"])
    }

    @Test func fileContents() {
        let box = Sandbox()
        box.write("secret.txt", "s3cret\n\n")
        box.write("one.txt", "line\n")
        #expect(box.values(ini: "env = S=@(secret.txt)\nenv = O=@(%d/one.txt)\n", "env") == ["S=s3cret\n", "O=line"])
        #expect(box.errors(ini: "chdir = @(missing.txt)\n") == ["app.ini:2: cannot read \"missing.txt\" for \"@(missing.txt)\""])
    }

    @Test func substitutedTextIsNotExpandedAgain() {
        let box = Sandbox(environment: ["PCT": "%(x)"])
        box.write("raw.txt", "$(HOME) %d")
        #expect(box.values(ini: "env = A=$(PCT)\nenv = B=@(raw.txt)\ntext = 50%%\nenv = C=%(text)\n", "env") == ["A=%(x)", "B=$(HOME) %d", "C=50%"])
    }

    @Test func logFormatKeepsRequestVariables() {
        let box = Sandbox()
        #expect(box.values(ini: "app = shop\nlog-format = %(app) %(method) %(uri) %(status) %(var.X)\n", "log-format") == ["shop %(method) %(uri) %(status) %(var.X)"])
        #expect(box.values(ini: "set-ph = uri=shadowed\nlog-format = %(uri)\n", "log-format") == ["%(uri)"])
        // Any other name is a log variable the app may set (`uwsgi.set_logvar`), as in uWSGI; elsewhere it is an error.
        // One close to a request variable gets a warning.
        #expect(box.values(ini: "log-format = %(user_id) %(stauts)\n", "log-format") == ["%(user_id) %(stauts)"])
        #expect(box.load(["app.ini"]).warnings == ["app.ini:2: \"%(stauts)\" in \"log-format\" is no request variable: it shows "
            + "what the app sets with uwsgi.set_logvar (did you mean \"%(status)\"?)"])
        #expect(box.errors(ini: "env = X=%(stauts)\n") == ["app.ini:2: \"%(stauts)\" is not defined (no option or placeholder \"stauts\")"])
        let defaults = Config(entries: [], name: "liege", sourceFile: nil, arguments: [])
        #expect(defaults.string("log-format") == "%(addr) - %(user) [%(ltime)] \"%(method) %(uri) %(proto)\" %(status) %(size) %(msecs)ms w%(wid)")
        #expect(box.values(ini: "env = F=%(log-format)\n", "env") == ["F=" + (defaults.string("log-format") ?? "")])
    }

    @Test func unknownKeysArePlaceholdersOnlyWhenReferenced() {
        let box = Sandbox()
        #expect(box.errors(ini: "procesess = 4\n") == ["app.ini:2: unknown option \"procesess\" (did you mean \"processes\"?)"])
        #expect(box.errors(ini: "zzzzqqq = 4\n") == ["app.ini:2: unknown option \"zzzzqqq\""])
        #expect(box.errors(ini: "port = 80\nhttp-socket = :%(port)\n").isEmpty)
        #expect(box.errors(ini: "wsgi-fil = app.py\n") == ["app.ini:2: unknown option \"wsgi-fil\" (did you mean \"wsgi-file\"?)"])
    }

    @Test func strictRejectsEveryUndeclaredKey() {
        let box = Sandbox()
        #expect(box.errors(ini: "strict = true\nport = 80\nhttp-socket = :%(port)\n") == [
            "app.ini:3: unknown option \"port\" (strict mode: declare placeholders with \"set-placeholder\")",
        ])
        #expect(box.errors(ini: "strict = true\nset-ph = port=80\nhttp-socket = :%(port)\n").isEmpty)
    }

    @Test func exponentialPlaceholdersAreStopped() {
        let box = Sandbox()
        var body = "p0 = \(String(repeating: "x", count: 1024))\n"
        for level in 1...20 { body += "p\(level) = %(p\(level - 1))%(p\(level - 1))\n" }
        body += "chdir = %(p20)\n"
        let errors = box.errors(ini: body)
        #expect(errors.first?.contains("longer than") == true)
    }
}
