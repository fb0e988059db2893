import LiegeConfig
import Testing
@testable import LiegeEmperor

func settings(_ arguments: [String]) throws -> EmperorSettings {
    let config = try Config.load(arguments: ["--emperor", "/v"] + arguments, environment: [:], workingDirectory: "/srv")
    return EmperorSettings(config, workingDirectory: "/srv")
}

@Suite struct VassalCommandTests {
    let shop = VassalFile(fileName: "shop.ini", directory: "/v", kind: .ini, target: nil)

    @Test func theFileAloneByDefault() throws {
        #expect(VassalCommand(file: shop, settings: try settings([])).arguments == ["--ini", "/v/shop.ini"])
        let blog = VassalFile(fileName: "blog.yml", directory: "/v", kind: .yaml, target: nil)
        #expect(VassalCommand(file: blog, settings: try settings([])).arguments == ["--yaml", "/v/blog.yml"])
    }

    @Test func sharedOptionsGoAroundTheFileInTheirOrder() throws {
        let shared = try settings(["--vassal-set", "processes = 4", "--vassals-set", "vacuum=true",
                                   "--vassals-include-before", "base.ini", "--vassals-inherit-before", "/t/b.ini",
                                   "--vassals-include", "/t/after.ini", "--vassals-inherit", "/t/last.ini"])
        #expect(VassalCommand(file: shop, settings: shared).arguments == [
            "--processes", "4", "--vacuum", "true",
            "--include", "/srv/base.ini", "--inherit", "/t/b.ini",
            "--ini", "/v/shop.ini",
            "--include", "/t/after.ini", "--inherit", "/t/last.ini",
        ])
    }

    @Test func theOnDemandPlaceholderIsTheFirstSocketOfItsProtocol() throws {
        let base = try settings(["--vassal-set", "processes=2"])
        #expect(VassalCommand(file: shop, settings: base, onDemandProtocol: "http").arguments
                == ["--http-socket", "127.0.0.1:0", "--processes", "2", "--ini", "/v/shop.ini"])
        #expect(VassalCommand(file: shop, settings: base, onDemandProtocol: "uwsgi").arguments.prefix(2)
                == ["--socket", "127.0.0.1:0"])
    }

    @Test func settingsDefaultsAndAliases() throws {
        let defaults = try settings([])
        #expect(defaults.rescanSeconds == 3)
        #expect(defaults.throttle == EmperorThrottle(firstMilliseconds: 1000, maximumMilliseconds: 180_000))
        #expect(defaults.curseToleranceSeconds == 30)
        #expect(defaults.followLinks && !defaults.tyrant && defaults.onDemand == nil && defaults.statsAddress == nil)
        let custom = try settings(["--emperor-mercy", "5", "--emperor-nofollow", "--emperor-on-demand-dir", "sockets",
                                   "--emperor-stats-server", "127.0.0.1:9000", "--emperor-freq", "10"])
        #expect(custom.curseToleranceSeconds == 5)
        #expect(!custom.followLinks)
        #expect(custom.onDemand == .directory("/srv/sockets"))
        #expect(custom.statsAddress == "127.0.0.1:9000")
        #expect(custom.rescanSeconds == 10)
        #expect(try settings(["--emperor-on-demand-ext", ".sock"]).onDemand == .extension(".sock"))
    }

    @Test func badEmperorOptionValuesAreConfigErrors() {
        #expect(throws: ConfigErrors.self) { try settings(["--emperor-throttle", "fast"]) }
        #expect(throws: ConfigErrors.self) { try settings(["--vassal-set", "novalue"]) }
    }
}
