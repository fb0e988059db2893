import Foundation
import Testing
@testable import LiegeConfig

@Suite struct StaticOptionsTests {
    /// Loads an ini text from a fresh file; the errors as printed, or [] when it loaded.
    private func load(_ text: String) -> (Config?, [String]) {
        let path = NSTemporaryDirectory() + "static-options-\(UUID().uuidString).ini"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let config = try Config.load(arguments: ["--ini", path], environment: [:], workingDirectory: "/")
            return (config, [])
        } catch {
            return (nil, error.errors.map { $0.description.replacingOccurrences(of: path, with: "app.ini") })
        }
    }

    @Test func everyStaticOptionIsRegistered() {
        for name in ["static-map", "static-map2", "check-static", "static-index", "static-skip-ext", "static-safe",
                     "mimefile", "static-expires", "static-expires-mtime", "static-expires-uri", "static-expires-uri-mtime",
                     "static-expires-path-info", "static-expires-path-info-mtime", "static-expires-type",
                     "static-expires-type-mtime", "static-gzip-all", "static-gzip-dir", "static-gzip-ext", "offload-threads"] {
            #expect(OptionRegistry.spec(named: name)?.name == name, "\(name)")
        }
        #expect(OptionRegistry.spec(named: "mimefile")?.defaultValue == "/etc/mime.types")
    }

    @Test func aValidStaticConfigLoadsInOrder() throws {
        let (config, errors) = load("""
        [uwsgi]
        static-map = /static=/srv/static
        check-static = /srv/www
        static-map2 = /media=/srv
        static-expires-uri = \\.(css|js)$ 3600
        static-expires-type = text/css=86400
        offload-threads = 4
        """)
        #expect(errors == [])
        let loaded = try #require(config)
        #expect(loaded.list("static-map") == ["/static=/srv/static"])
        #expect(loaded.entries.map(\.key).filter { $0.contains("static") }
                == ["static-map", "check-static", "static-map2", "static-expires-uri", "static-expires-type"])
        #expect(loaded.list("static-expires-uri") == ["\\.(css|js)$ 3600"])
    }

    @Test func aBadRegexIsAnErrorWithItsLine() {
        let (config, errors) = load("""
        [uwsgi]
        static-map = /static=/srv/static
        static-expires-uri = \\.(css|js$ 3600
        """)
        #expect(config == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("app.ini:3: \"static-expires-uri\" has an invalid regular expression") == true)
    }

    @Test func malformedValuesAreErrorsWithTheirLines() {
        let (_, errors) = load("""
        [uwsgi]
        static-map = static=/srv
        static-map2 = /static
        static-expires = \\.css
        static-expires-mtime = \\.css soon
        static-expires-type = text/css 60
        static-gzip-all = maybe
        """)
        #expect(errors.count == 6)
        #expect(errors.map { $0.prefix(11) } == ["app.ini:2: ", "app.ini:3: ", "app.ini:4: ", "app.ini:5: ", "app.ini:6: ", "app.ini:7: "])
        #expect(errors.first?.contains("\"static-map\"") == true)
    }
}
