import Testing
@testable import LiegeConfig

@Suite struct MagicVariableTests {
    @Test func fileVariablesDescribeTheFileBeingRead() {
        let box = Sandbox()
        box.write("etc/vassals/shop.ini", "[uwsgi]\nenv = p=%p\nenv = s=%s\nenv = n=%n\nenv = e=%e\nenv = d=%d\nenv = c=%c\nenv = x=%x\ninclude = ../parts/inc.yaml\n")
        box.write("etc/parts/inc.yaml", "uwsgi:\n  env: [\"p=%p\", \"P=%P\", \"n=%n\", \"N=%N\", \"E=%E\", \"D=%D\", \"c=%c\", \"C=%C\"]\n")
        let dir = box.directory
        let env = box.load(["etc/vassals/shop.ini"]).config?.list("env")
        #expect(env == [
            "p=\(dir)/etc/vassals/shop.ini", "s=shop.ini", "n=shop", "e=ini", "d=\(dir)/etc/vassals/", "c=vassals", "x=",
            "p=\(dir)/etc/parts/inc.yaml", "P=\(dir)/etc/vassals/shop.ini", "n=inc", "N=shop", "E=ini",
            "D=\(dir)/etc/vassals/", "c=parts", "C=vassals",
        ])
    }

    @Test func templateReadBeforeTheMainFileNamesTheMainFile() {
        // The emperor starts a vassal as `--include template --ini vassal` (vassals-include-before).
        let box = Sandbox()
        box.write("templates/base.ini", "[uwsgi]\nenv = n=%n\nenv = N=%N\n")
        box.write("vassals/shop.ini", "[uwsgi]\nenv = own=%n\n")
        let config = box.load(["--include", "templates/base.ini", "--ini", "vassals/shop.ini"]).config
        #expect(config?.list("env") == ["n=base", "N=shop", "own=shop"])
        #expect(config?.name == "shop")
        #expect(config?.sourceFile == "\(box.directory)/vassals/shop.ini")
    }

    @Test func sectionInodeHashAndPathComponents() {
        let box = Sandbox()
        let path = box.write("app.ini", "[prod]\nenv = x=%x\nenv = X=%X\nenv = i=%i\nenv = j=%j\nenv = J=%J\nenv = zero=%0\n")
        let env = box.load(["app.ini:prod"]).config?.list("env") ?? []
        #expect(env.prefix(2) == ["x=prod", "X=prod"])
        #expect(env[2] != "i=0" && env[2].count > 2)
        #expect(env[3] == "j=" + MagicVariables.hash(path))
        #expect(env[3] == env[4].lowercased())
        #expect(env[3].count == 10)
        #expect(env[5] == "zero=" + (box.directory.split(separator: "/").first.map(String.init) ?? ""))
    }

    @Test func hostVariables() {
        let box = Sandbox()
        let body = "unenv = %h %k %u %U %g %G\nunenv = %t %T %V %b\nunenv = %v\nunenv = 100%%\nunenv = %[[0m\n"
        #expect(box.values(ini: body, "unenv") == [
            "box 4 1001 alice 1002 staff", "1700000000 1700000000123456 0.1.0 /opt/liege/bin/liege", box.directory,
            "100%", "\u{1B}[0m",
        ])
    }

    @Test func unknownVariableSuggestsDoublePercent() {
        let box = Sandbox()
        #expect(box.errors(ini: "env = DATE=%Y\n") == ["app.ini:2: unknown magic variable \"%Y\" (write \"%%Y\" for a literal \"%Y\")"])
        #expect(box.values(ini: "env = DATE=%%Y\n", "env") == ["DATE=%Y"])
    }

    @Test func fileVariablesNeedAFile() {
        let box = Sandbox()
        #expect(box.errors(["--chdir", "%d"]) == ["command line: --chdir: \"%d\" describes a config file, but none was given"])
        box.write("app.ini", "[uwsgi]\nmaster = true\n")
        #expect(box.load(["--chdir", "%d", "app.ini"]).config?.string("chdir") == box.directory + "/")
    }

    @Test func djb33xHashIsEightHexDigits() {
        #expect(MagicVariables.hash("") == "00001505")
        #expect(MagicVariables.hash("/etc/liege/app.ini").count == 8)
    }

    @Test func nonASCIILettersAreUnknown() {
        let box = Sandbox()
        for letter in ["İ", "K", "ß", "é", "\u{0}"] {
            #expect(box.errors(ini: "env = A=%\(letter)\n").first?.contains("unknown magic variable") == true, "\(letter)")
        }
    }
}
