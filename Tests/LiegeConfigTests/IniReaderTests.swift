import Testing
@testable import LiegeConfig

@Suite struct IniReaderTests {
    @Test func readsUwsgiAndLiegeSectionsInFileOrderAndSkipsOthers() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nenv = A=1\n[other]\nenv = X=9\n[liege]\nenv = B=2\n[uwsgi]\nenv = C=3\n")
        #expect(box.load(["app.ini"]).config?.list("env") == ["A=1", "B=2", "C=3"])
    }

    @Test func sectionSuffixPicksOneSection() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nprocesses = 2\n[prod]\nprocesses = 8\n")
        #expect(box.load(["--ini", "app.ini:prod"]).config?.int("processes") == 8)
        #expect(box.load(["app.ini:prod"]).config?.int("processes") == 8)
        #expect(box.load(["app.ini"]).config?.int("processes") == 2)
    }

    @Test func commentLinesAreSkipped() {
        let box = Sandbox()
        #expect(box.values(ini: "; processes = 3\n# processes = 5\n  ; indented\nprocesses = 2\n", "processes") == ["2"])
    }

    @Test func bareKeyIsTrueForBooleansOnly() {
        let box = Sandbox()
        #expect(box.values(ini: "master\n", "master") == ["true"])
        #expect(box.errors(ini: "socket\n") == ["app.ini:2: \"socket\" needs a value"])
    }

    @Test func splitsAtFirstEqualsAndTrimsSpaceTabAndCR() {
        let box = Sandbox()
        #expect(box.values(ini: "env =\t A=B=C \r\n", "env") == ["A=B=C"])
        #expect(box.values(ini: "processes=3\r\n", "processes") == ["3"])
    }

    @Test func quotesAreLiteral() {
        let box = Sandbox()
        #expect(box.values(ini: "module = \"app\"\n", "module") == ["\"app\""])
    }

    @Test func typedOptionsDropTrailingCommentWithWarning() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nprocesses = 4 ; four\nmaster = true # yes\nmodule = app ; kept\n")
        let outcome = box.load(["app.ini"])
        #expect(outcome.config?.int("processes") == 4)
        #expect(outcome.config?.bool("master") == true)
        #expect(outcome.config?.string("module") == "app ; kept")
        #expect(outcome.warnings.count == 2)
        #expect(outcome.warnings.first?.hasPrefix("app.ini:2: ignoring the comment \"; four\"") == true)
    }

    @Test func keyBeforeAnySectionListsSections() {
        let box = Sandbox()
        box.write("app.ini", "processes = 4\n[app]\n[uwsgi]\nmaster = true\n")
        #expect(box.errors(["app.ini"]) == ["app.ini:1: \"processes\" is outside any section (sections found: [app], [uwsgi])"])
    }

    @Test func missingSectionListsSectionsFound() {
        let box = Sandbox()
        box.write("app.ini", "[app]\nprocesses = 4\n[web]\n")
        #expect(box.errors(["app.ini"]) == ["app.ini:1: no [uwsgi] or [liege] section (sections found: [app], [web])"])
        #expect(box.errors(["app.ini:prod"]) == ["app.ini:1: no [prod] section (sections found: [app], [web])"])
        box.write("empty.ini", "")
        #expect(box.errors(["empty.ini"]) == ["empty.ini:1: no [uwsgi] or [liege] section (sections found: none)"])
    }

    @Test func malformedSectionHeaderAndMissingName() {
        let box = Sandbox()
        #expect(box.errors(ini: "[broken\n= 4\n") == [
            "app.ini:2: malformed section header \"[broken\"",
            "app.ini:3: missing option name before \"=\"",
        ])
    }

    @Test func iniColonSectionLoadsSectionOfTheCurrentFile() {
        let box = Sandbox()
        box.write("app.ini", "[uwsgi]\nprocesses = 2\nini = :extra\nmaster = true\n[extra]\nprocesses = 6\n")
        let config = box.load(["app.ini"]).config
        #expect(config?.int("processes") == 6)
        #expect(config?.bool("master") == true)
    }

    @Test func emptyValueIsEmptyStringForStrings() {
        let box = Sandbox()
        #expect(box.values(ini: "module =\n", "module") == [""])
        #expect(box.errors(ini: "processes =\n") == ["app.ini:2: \"processes\" expects a whole number, got \"\""])
    }
}
