import Foundation
import Testing
@testable import LiegeConfig

@Suite struct OptionRegistryTests {
    @Test func namesAndAliasesAreUnique() {
        let names = OptionRegistry.allNames
        #expect(Set(names).count == names.count)
    }

    @Test func aliasesResolveToTheirOption() {
        let pairs = ["yml": "yaml", "set-ph": "set-placeholder", "chmod": "chmod-socket", "wsgi": "module", "file": "wsgi-file",
                     "venv": "virtualenv", "home": "virtualenv", "pyhome": "virtualenv", "python-path": "pythonpath",
                     "pp": "pythonpath", "workers": "processes", "safe-pidfile": "pidfile", "log-date": "logdate",
                     "logformat": "log-format", "http": "http-socket"]
        for (alias, name) in pairs {
            #expect(OptionRegistry.spec(named: alias)?.name == name, "\(alias)")
        }
    }

    @Test func requiredOptionsAreRegistered() {
        let required = """
        ini yaml include inherit set set-placeholder strict socket http-socket protocol listen chmod-socket chown-socket
        buffer-size socket-timeout http-keepalive module wsgi-file callable chdir virtualenv pythonpath env unenv
        add-header need-app threads master enable-threads lazy-apps single-interpreter die-on-term log-reopen processes
        pidfile pidfile2 vacuum logto logto2 logdate disable-logging log-format harakiri max-requests max-requests-delta
        reload-on-rss evil-reload-on-rss max-worker-lifetime min-worker-lifetime worker-reload-mercy reload-mercy
        touch-reload master-fifo uid gid
        """
        for name in required.split(whereSeparator: \.isWhitespace) {
            #expect(OptionRegistry.spec(named: String(name))?.name == String(name), "\(name)")
        }
    }

    @Test func everyDefaultIsValidForItsType() {
        for spec in OptionRegistry.all {
            if let value = spec.defaultValue {
                #expect(throws: Never.self, "\(spec.name)") { try OptionValidator.normalize(value, for: spec).get() }
            }
            #expect(!spec.help.isEmpty)
        }
    }

    @Test func suggestions() {
        #expect(OptionRegistry.suggestion(for: "procesess") == "processes")
        #expect(OptionRegistry.suggestion(for: "harakri") == "harakiri")
        #expect(OptionRegistry.suggestion(for: "http-sockte") == "http-socket")
        #expect(OptionRegistry.suggestion(for: "completely-unrelated") == nil)
        #expect(EditDistance.between("ab", "ba") == 1)
        #expect(EditDistance.between("kitten", "sitting") == 3)
    }

    @Test func committedOptionsMarkdownIsUpToDate() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/options.md"), encoding: .utf8)
        #expect(committed == OptionsMarkdown.render(), "docs/options.md is stale: run `liege --print-options-markdown > docs/options.md`")
    }
}
