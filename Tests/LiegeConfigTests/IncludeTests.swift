import Testing
@testable import LiegeConfig

@Suite struct IncludeTests {
    @Test func includeInsertsInPlaceByExtension() {
        let box = Sandbox()
        box.write("conf/app.ini", "[uwsgi]\nenv = A=1\ninclude = parts/b.yaml\nenv = C=3\ninclude = parts/d.ini\n")
        box.write("conf/parts/b.yaml", "uwsgi:\n  env: B=2\n")
        box.write("conf/parts/d.ini", "[uwsgi]\nenv = D=4\n")
        #expect(box.load(["conf/app.ini"]).config?.list("env") == ["A=1", "B=2", "C=3", "D=4"])
    }

    @Test func iniAndYamlOptionsInsideFiles() {
        let box = Sandbox()
        box.write("app.yaml", "uwsgi:\n  ini: base.ini\n  processes: 4\n")
        box.write("base.ini", "[uwsgi]\nprocesses = 2\nyaml = more.yml\n")
        box.write("more.yml", "uwsgi:\n  master: true\n")
        let config = box.load(["app.yaml"]).config
        #expect(config?.int("processes") == 4)
        #expect(config?.bool("master") == true)
    }

    @Test func inheritAppendsAfterTheIncludingFile() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\ninherit = base.ini\nenv = A=1\nprocesses = 2\n")
        box.write("base.ini", "[uwsgi]\nenv = BASE=1\nprocesses = 8\n")
        let config = box.load(["app.ini", "--env", "CLI=1"]).config
        #expect(config?.list("env") == ["A=1", "BASE=1", "CLI=1"])
        #expect(config?.int("processes") == 8)
    }

    @Test func pathsAreRelativeToTheIncludingFile() {
        let box = Sandbox()
        box.write("a/app.ini", "[uwsgi]\ninclude = ../b/part.ini\n")
        box.write("b/part.ini", "[uwsgi]\ninclude = deeper/last.ini\n")
        box.write("b/deeper/last.ini", "[uwsgi]\nprocesses = 7\n")
        #expect(box.load(["a/app.ini"]).config?.int("processes") == 7)
    }

    @Test func cycleIsAnErrorWithTheChain() {
        let box = Sandbox()
        box.write("a.ini", "[uwsgi]\ninclude = b.ini\n")
        box.write("b.ini", "[uwsgi]\nmaster = true\ninclude = a.ini\n")
        #expect(box.errors(["a.ini"]) == ["b.ini:3: include cycle: a.ini -> b.ini -> a.ini"])
        box.write("self.ini", "[uwsgi]\nini = self.ini\n")
        #expect(box.errors(["self.ini"]) == ["self.ini:2: include cycle: self.ini -> self.ini"])
    }

    @Test func depthBeyond32IsAnError() {
        let box = Sandbox()
        for level in 0..<40 { box.write("f\(level).ini", "[uwsgi]\ninclude = f\(level + 1).ini\n") }
        box.write("f40.ini", "[uwsgi]\nmaster = true\n")
        let errors = box.errors(["f0.ini"])
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("f31.ini:2: includes nested deeper than 32 levels: f0.ini -> f1.ini -> ") == true)
        for level in 0..<20 { box.write("g\(level).ini", "[uwsgi]\ninclude = g\(level + 1).ini\n") }
        box.write("g20.ini", "[uwsgi]\nprocesses = 3\n")
        #expect(box.load(["g0.ini"]).config?.int("processes") == 3)
    }

    @Test func missingIncludeIsLocated() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\n\ninclude = nope.ini\n")
        #expect(box.errors(["app.ini"]) == ["app.ini:3: cannot read \"nope.ini\": no such file"])
        #expect(box.errors(["--ini", "gone.ini"]) == ["command line: --ini: cannot read \"gone.ini\": no such file"])
        #expect(box.errors(["--ini", "."]) == ["command line: --ini: cannot read \".\": it is a directory"])
    }

    @Test func includePathsExpandMagicVariables() {
        let box = Sandbox()
        box.write("conf/app.ini", "[uwsgi]\ninclude = %d/common.ini\n")
        box.write("conf/common.ini", "[uwsgi]\nprocesses = 5\n")
        #expect(box.load(["conf/app.ini"]).config?.int("processes") == 5)
    }

    @Test func directivesNeedAValue() {
        let box = Sandbox()
        #expect(box.errors(ini: "include\nmaster = true\n") == ["app.ini:2: \"include\" needs a value"])
        #expect(box.errors(["--ini"]) == ["command line: --ini: needs a value"])
    }
}
