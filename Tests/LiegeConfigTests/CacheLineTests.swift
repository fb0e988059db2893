import LiegeSystem
import Testing
@testable import LiegeConfig

@Suite struct CacheLineTests {
    @Test func keysAndAliasesMakeTheGeometry() throws {
        let line = try CacheLine.parse("name=sessions,max_items=500,blocksize=4096,key_size=128,lru=1,math_initial=5,store=/var/c").get()
        #expect(line.geometry == CacheGeometry(name: "sessions", items: 500, blockSize: 4096, keySize: 128,
                                               leastRecentlyUsed: true, mathInitial: 5))
        #expect(line.store == "/var/c")
        let defaults = try CacheLine.parse("name=c,items=3").get()
        #expect(defaults.geometry.blockSize == 65535 && defaults.geometry.keySize == 2048 && defaults.store == nil)
    }

    @Test func uwsgiInternalsAreAcceptedAndWhatLiegeLacksIsRefused() {
        #expect((try? CacheLine.parse("name=c,items=10,hash=murmur2,hashsize=100,lazy_expire=1,ignore_full=1,blocks=20").get()) != nil)
        for (text, message) in [
            ("name=c,items=10,bitmap=1", "bitmap"), ("name=c,items=10,udp=1.2.3.4:5", "udp is not supported"),
            ("name=c,items=10,blocks=5", "blocks (5) must be at least items (10)"),
            ("name=c,items=10,purge_lru=maybe", "purge_lru \"maybe\""), ("name=c@x,items=10", "without \"@\""),
            ("name=c,items=100000000,blocksize=1000000", "the limit is 64 GiB"),
        ] {
            guard case .failure(let problem) = CacheLine.parse(text) else {
                Issue.record("\(text) parsed")
                continue
            }
            #expect(problem.message.contains(message), "\(text): \(problem.message)")
        }
    }

    @Test func settingsResolveSpoolerDirectories() {
        let config = Config(entries: [ConfigEntry(key: "spooler", value: "spool"), ConfigEntry(key: "spooler", value: "/abs/q"),
                                      ConfigEntry(key: "spooler", value: "./spool"), ConfigEntry(key: "cache2", value: "name=a,items=2")],
                            name: "t", sourceFile: nil, arguments: [])
        let settings = UwsgiAPISettings(config)
        #expect(settings.spooler.resolved(against: "/srv/app") == ["/srv/app/spool", "/abs/q"])
        #expect(settings.caches.map(\.geometry.name) == ["a"])
        #expect(settings.spooler.processes == 1 && settings.spooler.frequencySeconds == 30 && settings.locks == 1)
    }
}
