import LiegeConfig
import LiegeHTTP
import Testing
@testable import LiegeWorker

@Suite struct StaticSettingsTests {
    private func settings(_ entries: [(String, String)]) -> StaticSettings {
        StaticSettings(config: Config(entries: entries.map { ConfigEntry(key: $0.0, value: $0.1) }, name: "t",
                                      sourceFile: nil, arguments: []))
    }

    @Test func rulesKeepConfigOrderAcrossKinds() {
        let read = settings([("static-map2", "/a=/srv/a"), ("check-static", "/srv/www/"), ("static-map", "/s/=/srv/s")])
        #expect(read.rules == [
            StaticRule(kind: .map2, prefix: Array("/a".utf8), root: Array("/srv/a".utf8)),
            StaticRule(kind: .check, prefix: [], root: Array("/srv/www".utf8)),
            StaticRule(kind: .map, prefix: Array("/s".utf8), root: Array("/srv/s".utf8)),
        ])
        #expect(read.isEnabled)
        #expect(!settings([("static-index", "index.html")]).isEnabled)
    }

    @Test func expiresRulesAndGzipSuffixes() {
        let read = settings([("static-expires-uri", "\\.css$ 60"), ("static-expires-type-mtime", "text/css=5"),
                             ("static-gzip-ext", "css"), ("static-gzip-ext", ".js"), ("static-gzip-all", "true")])
        #expect(read.expires == [
            ExpiresRule(subject: .uri, fromModification: false, pattern: "\\.css$", seconds: 60),
            ExpiresRule(subject: .type, fromModification: true, pattern: "text/css", seconds: 5),
        ])
        #expect(read.gzipExtensions == [Array(".css".utf8), Array(".js".utf8)])
        #expect(read.gzipAll)
    }

    @Test func mimefileDefaultsToTheSystemTable() {
        #expect(settings([]).mimeFiles == ["/etc/mime.types"])
        #expect(settings([("mimefile", "/a"), ("mimefile", "/b")]).mimeFiles == ["/a", "/b"])
    }

    @Test func relativeRootsAreAnchoredAtTheAppDirectory() {
        let read = settings([("static-map", "/s=static"), ("static-safe", "../shared"), ("check-static", "/abs")])
            .anchored(at: "/srv/app")
        #expect(read.rules.map { String(decoding: $0.root, as: UTF8.self) } == ["/srv/app/static", "/abs"])
        #expect(read.safeRoots == [Array("/srv/app/../shared".utf8)])
    }
}
