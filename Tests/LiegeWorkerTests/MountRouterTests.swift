import LiegeConfig
import Testing
@testable import LiegeWorker

/// Which mounted app answers a request, and the SCRIPT_NAME / PATH_INFO it sees (uWSGI's rules).
@Suite struct MountRouterTests {
    let apps = [AppMounts.App(prefix: "", wsgiFile: "root.py"), AppMounts.App(prefix: "/shop", module: "shop"),
                AppMounts.App(prefix: "/shop/admin", module: "admin"), AppMounts.App(prefix: "/blog", module: "blog")]

    func route(_ router: MountRouter, script: String = "", path: String, appID: String? = nil) -> (Int, String, String)? {
        router.route(scriptName: Array(script.utf8), pathInfo: Array(path.utf8), appID: appID.map { Array($0.utf8) })
            .map { ($0.app, String(decoding: $0.scriptName, as: UTF8.self), String(decoding: $0.pathInfo, as: UTF8.self)) }
    }

    @Test func manageScriptNameTakesTheLongestWholeSegmentPrefix() throws {
        let router = MountRouter(AppMounts(apps: apps, manageScriptName: true))
        #expect(try #require(route(router, path: "/shop/cart")) == (1, "/shop", "/cart"))
        #expect(try #require(route(router, path: "/shop")) == (1, "/shop", ""))
        #expect(try #require(route(router, path: "/shop/")) == (1, "/shop", "/"))
        #expect(try #require(route(router, path: "/shop/admin/x")) == (2, "/shop/admin", "/x"))
        #expect(try #require(route(router, path: "/shop/administrator")) == (1, "/shop", "/administrator"))
        #expect(try #require(route(router, path: "/shopping")) == (0, "", "/shopping"))
        #expect(try #require(route(router, path: "/")) == (0, "", "/"))
        // A SCRIPT_NAME nginx sent stays when no mount matches the path, and picks its mount.
        #expect(try #require(route(router, script: "/blog", path: "/x")) == (3, "/blog", "/x"))
    }

    @Test func withoutManageScriptNameTheScriptNamePicksTheApp() throws {
        let router = MountRouter(AppMounts(apps: apps))
        #expect(try #require(route(router, path: "/shop/cart")) == (0, "", "/shop/cart"))
        #expect(try #require(route(router, script: "/shop", path: "/cart")) == (1, "/shop", "/cart"))
        #expect(try #require(route(router, script: "/shop/", path: "/cart")) == (1, "/shop/", "/cart"))
        #expect(try #require(route(router, script: "/nowhere", path: "/x")) == (0, "/nowhere", "/x"))
        #expect(try #require(route(router, script: "/nowhere", path: "/x", appID: "/blog")) == (3, "/nowhere", "/x"))
    }

    @Test func noDefaultAppAndNoRootApp() {
        let strict = MountRouter(AppMounts(apps: apps, noDefaultApp: true))
        #expect(route(strict, path: "/x")?.0 == 0)
        #expect(route(strict, script: "/", path: "/x")?.0 == 0)
        #expect(route(strict, script: "/nowhere", path: "/x") == nil)
        let mountsOnly = MountRouter(AppMounts(apps: Array(apps.dropFirst()), manageScriptName: true))
        #expect(route(mountsOnly, path: "/shop/x")?.0 == 0)
        #expect(route(mountsOnly, path: "/other") == nil)
    }

    @Test func environIsRewrittenInPlace() {
        let router = MountRouter(AppMounts(apps: apps, manageScriptName: true))
        var variables: [(name: String, value: [UInt8])] = [("REQUEST_METHOD", Array("GET".utf8)),
                                                            ("PATH_INFO", Array("/blog/post".utf8))]
        #expect(router.route(&variables) == 3)
        #expect(variables.map(\.name) == ["REQUEST_METHOD", "PATH_INFO", "SCRIPT_NAME"])
        #expect(variables.map { String(decoding: $0.value, as: UTF8.self) } == ["GET", "/post", "/blog"])
        let single = MountRouter(AppMounts(apps: [apps[0]], manageScriptName: true))
        var untouched: [(name: String, value: [UInt8])] = [("PATH_INFO", Array("/shop".utf8))]
        #expect(!single.isActive && single.route(&untouched) == 0 && untouched[0].value == Array("/shop".utf8))
    }
}
