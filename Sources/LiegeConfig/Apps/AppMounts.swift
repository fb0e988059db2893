/// The apps one vassal serves, read once from `module` / `wsgi-file` (the default app, at the root),
/// every `mount = PREFIX=APP`, `manage-script-name` and `no-default-app`. Workers and the preloader
/// load `apps` in this order; a request's app is chosen by `MountRouter` (LiegeWorker).
public struct AppMounts: Sendable, Equatable {
    public struct App: Sendable, Equatable {
        /// "" for the root, else "/shop" (no trailing slash).
        public var prefix: String
        public var module: String?
        public var wsgiFile: String?

        public init(prefix: String, module: String? = nil, wsgiFile: String? = nil) {
            self.prefix = prefix
            self.module = module
            self.wsgiFile = wsgiFile
        }

        /// What the log calls it ("shop.wsgi:app", "/srv/blog/wsgi.py").
        public var label: String { module ?? wsgiFile ?? "" }
    }

    public var apps: [App]
    /// SCRIPT_NAME becomes the longest mount prefix of the path and PATH_INFO the rest.
    public var manageScriptName: Bool
    /// A request whose SCRIPT_NAME names no mount gets no app (instead of the root one).
    public var noDefaultApp: Bool

    public init(apps: [App], manageScriptName: Bool = false, noDefaultApp: Bool = false) {
        self.apps = apps
        self.manageScriptName = manageScriptName
        self.noDefaultApp = noDefaultApp
    }

    public init(config: Config) {
        var apps: [App] = []
        let module = config[.module].flatMap { $0.isEmpty ? nil : $0 }
        let wsgiFile = config[.wsgiFile]
        if module != nil || wsgiFile != nil {
            apps.append(App(prefix: "", module: module, wsgiFile: module == nil ? wsgiFile : nil))
        }
        for line in config[.mount] {
            switch line.app {
            case .file(let path): apps.append(App(prefix: line.prefix, wsgiFile: path))
            case .module(let name): apps.append(App(prefix: line.prefix, module: name))
            }
        }
        self.init(apps: apps, manageScriptName: config[.manageScriptName], noDefaultApp: config[.noDefaultApp])
    }

    /// Whether any app is configured (a reload's import check must load them all).
    public var isEmpty: Bool { apps.isEmpty }

    /// More than the single root app: requests need routing.
    public var hasMounts: Bool { apps.contains { !$0.prefix.isEmpty } }
}
