import Testing
@testable import LiegeConfig

/// `mount = PREFIX=APP` values and the `AppMounts` a config gives.
@Suite struct MountLineTests {
    @Test func forms() {
        #expect(MountLine.parse("/shop=shop/wsgi.py") == MountLine(prefix: "/shop", app: .file("shop/wsgi.py")))
        #expect(MountLine.parse("/blog/=/srv/blog/site.wsgi") == MountLine(prefix: "/blog", app: .file("/srv/blog/site.wsgi")))
        #expect(MountLine.parse(" /api = api.main:app ") == MountLine(prefix: "/api", app: .module("api.main:app")))
        #expect(MountLine.parse("/=site.wsgi:application") == MountLine(prefix: "", app: .module("site.wsgi:application")))
        #expect(MountLine.parse("=root") == MountLine(prefix: "", app: .module("root")))
        #expect(MountLine.parse("/a=b=c.py") == MountLine(prefix: "/a", app: .file("b=c.py")))
    }

    @Test func refusals() {
        #expect(MountLine.problem("shop.py")?.contains("PREFIX=APP") == true)
        #expect(MountLine.problem("example.com=shop.py")?.contains("starting with \"/\"") == true)
        #expect(MountLine.problem("/x=")?.contains("no app after") == true)
        #expect(MountLine.problem("/x=development.ini")?.contains("PasteDeploy") == true)
        #expect(MountLine.problem("/x=/srv/app/wsgi")?.contains("neither") == true)
        #expect(MountLine.problem("/x=:app")?.contains("neither") == true)
        #expect(MountLine.problem("/x=pkg.mod:app") == nil)
    }

    @Test func appsOfAConfig() {
        let box = Sandbox()
        box.write("app.ini", """
        [uwsgi]
        wsgi-file = root.py
        mount = /shop=shop:app
        mount = /blog/=blog.wsgi
        manage-script-name = true

        """)
        let config = box.load(["app.ini"]).config
        let mounts = config.map(AppMounts.init(config:))
        #expect(mounts?.apps == [AppMounts.App(prefix: "", wsgiFile: "root.py"), AppMounts.App(prefix: "/shop", module: "shop:app"),
                                 AppMounts.App(prefix: "/blog", wsgiFile: "blog.wsgi")])
        #expect(mounts?.manageScriptName == true && mounts?.noDefaultApp == false && mounts?.hasMounts == true)
    }

    @Test func locatedErrors() {
        let errors = Sandbox().errors(ini: """
        module = site.wsgi
        mount = shop=shop.py
        mount = /=other.py
        mount = /api=a:app
        mount = /api/=b:app

        """)
        #expect(errors.count == 3, "\(errors)")
        #expect(errors.first?.hasPrefix("app.ini:3: \"mount\" the mount point \"shop\" must be a URL path") == true)
        #expect(errors.contains("app.ini:6: two apps are mounted at the root (\"module\"/\"wsgi-file\" is the app at the root); keep one"))
        #expect(errors.contains("app.ini:6: two apps are mounted at \"/api\" (\"module\"/\"wsgi-file\" is the app at the root); keep one"))
    }

    @Test func mountsDoNotGoWithAnASGIApp() {
        let errors = Sandbox().errors(ini: "asgi = main:app\nmount = /x=legacy.py\n")
        #expect(errors.count == 1 && errors.first?.hasPrefix("app.ini:3: \"mount\" serves WSGI apps") == true, "\(errors)")
    }
}
