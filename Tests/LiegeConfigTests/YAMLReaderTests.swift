import Testing
@testable import LiegeConfig

@Suite struct YAMLReaderTests {
    @Test func readsScalarsSequencesAndDuplicateKeysInOrder() {
        let box = Sandbox()
        box.write("app.yaml", """
        uwsgi:
          socket: 127.0.0.1:3031
          env: A=1
          env: [B=2, C=3]
          env:
            - D=4
          processes: 2
          processes: 5
        """)
        let config = box.load(["app.yaml"]).config
        #expect(config?.list("env") == ["A=1", "B=2", "C=3", "D=4"])
        #expect(config?.int("processes") == 5)
        #expect(config?.list("socket") == ["127.0.0.1:3031"])
    }

    @Test func liegeKeyAndSectionSelection() {
        let box = Sandbox()
        box.write("app.yml", "liege:\n  processes: 3\nprod:\n  processes: 9\nother: {a: {b: c}}\n")
        #expect(box.load(["--yaml", "app.yml"]).config?.int("processes") == 3)
        #expect(box.load(["--yml", "app.yml:prod"]).config?.int("processes") == 9)
        #expect(box.errors(["app.yml:nope"]) == ["app.yml:1:1: no \"nope:\" key at the top level (keys found: \"liege\", \"prod\", \"other\")"])
    }

    @Test func emptyValueIsTrueForBooleansElseError() {
        let box = Sandbox()
        box.write("app.yaml", "uwsgi:\n  master:\n  vacuum: ''\n  socket:\n")
        #expect(box.errors(["app.yaml"]) == [
            "app.yaml:3:3: \"vacuum\" expects a boolean (true/false, yes/no, on/off, 1/0), got \"\"",
            "app.yaml:4:3: \"socket\" needs a value",
        ])
        box.write("ok.yaml", "uwsgi:\n  master:\n")
        #expect(box.load(["ok.yaml"]).config?.bool("master") == true)
    }

    @Test func nestedMappingIsAnError() {
        let box = Sandbox()
        box.write("app.yaml", "uwsgi:\n  env:\n    A: 1\n")
        #expect(box.errors(["app.yaml"]) == ["app.yaml:3:5: \"env\" holds a nested mapping; values must be scalars or lists of scalars"])
        box.write("list.yaml", "uwsgi:\n  env: [[A=1]]\n")
        #expect(box.errors(["list.yaml"]) == ["list.yaml:2:9: \"env\": list items must be plain values"])
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        let box = Sandbox()
        box.write("bad.yaml", "uwsgi:\n  socket: [a, b\n  master: true\n")
        #expect(box.errors(["bad.yaml"]) == ["bad.yaml:3:9: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"])
        box.write("tab.yaml", "uwsgi:\n\tmaster: true\n")
        #expect(box.errors(["tab.yaml"]).first?.hasPrefix("tab.yaml:2:1: YAML syntax error:") == true)
    }

    @Test func anchorsAndAliasesResolve() {
        let box = Sandbox()
        box.write("app.yaml", "base:\n  dir: &dir /srv/app\n  paths: &paths [/a, /b]\nuwsgi:\n  chdir: *dir\n  pythonpath: *paths\n")
        let config = box.load(["app.yaml"]).config
        #expect(config?.string("chdir") == "/srv/app")
        #expect(config?.list("pythonpath") == ["/a", "/b"])
        box.write("alias.yaml", "uwsgi:\n  chdir: *nowhere\n")
        #expect(box.errors(["alias.yaml"]).first?.hasPrefix("alias.yaml:") == true)
    }

    @Test func topLevelMustBeAMapping() {
        let box = Sandbox()
        box.write("list.yaml", "- a\n- b\n")
        #expect(box.errors(["list.yaml"]) == ["list.yaml:1:1: the top level must be a mapping with a \"uwsgi:\" key"])
        box.write("empty.yaml", "")
        #expect(box.errors(["empty.yaml"]) == ["empty.yaml:1:1: the top level must be a mapping with a \"uwsgi:\" key"])
    }

    @Test func scalarsAreTypedLikeIniText() {
        let box = Sandbox()
        box.write("app.yaml", "uwsgi:\n  processes: \"4\"\n  master: yes\n  buffer-size: 64K\n  module: 'a: b'\n")
        let config = box.load(["app.yaml"]).config
        #expect(config?.int("processes") == 4)
        #expect(config?.bool("master") == true)
        #expect(config?.bytes("buffer-size") == 65536)
        #expect(config?.string("module") == "a: b")
    }
}
