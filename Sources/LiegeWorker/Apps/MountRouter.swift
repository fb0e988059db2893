import LiegeConfig

/// Chooses a request's app among a vassal's mounts the way uWSGI does. With `manage-script-name` the
/// longest mount prefix of PATH_INFO (whole path segments only: `/shop` takes `/shop` and `/shop/x`,
/// not `/shopping`) becomes SCRIPT_NAME and the rest of the path PATH_INFO. Then the app is the one
/// mounted at SCRIPT_NAME (or at `UWSGI_APPID` when the uwsgi packet names one), else the root app unless
/// `no-default-app`. Pure: works on the environ's byte values.
struct MountRouter: Sendable {
    struct Route: Equatable {
        var app: Int
        var scriptName: [UInt8]
        var pathInfo: [UInt8]
    }

    private struct Mount {
        var prefix: [UInt8]
        var app: Int
    }

    /// Mounts other than the root, longest prefix first.
    private let mounts: [Mount]
    private let root: Int?
    private let manageScriptName: Bool
    private let noDefaultApp: Bool
    /// False when every request goes to app 0 untouched (no mount besides the root).
    let isActive: Bool

    init(_ apps: AppMounts) {
        var mounts: [Mount] = []
        var root: Int?
        for (index, app) in apps.apps.enumerated() {
            if app.prefix.isEmpty {
                if root == nil { root = index }
            } else {
                mounts.append(Mount(prefix: Array(app.prefix.utf8), app: index))
            }
        }
        self.mounts = mounts.sorted { $0.prefix.count > $1.prefix.count }
        self.root = root
        manageScriptName = apps.manageScriptName
        noDefaultApp = apps.noDefaultApp
        isActive = !mounts.isEmpty
    }

    /// The app for a request and the SCRIPT_NAME / PATH_INFO it sees; nil when no app answers it.
    func route(scriptName: [UInt8], pathInfo: [UInt8], appID: [UInt8]? = nil) -> Route? {
        var route = Route(app: 0, scriptName: scriptName, pathInfo: pathInfo)
        if manageScriptName, let mount = mounts.first(where: { Self.isPrefix($0.prefix, of: pathInfo) }) {
            route.scriptName = mount.prefix
            route.pathInfo = Array(pathInfo[mount.prefix.count...])
        }
        let key = Self.trimmingSlashes(appID.flatMap { $0.isEmpty ? nil : $0 } ?? route.scriptName)
        if key.isEmpty, let root {
            route.app = root
        } else if let mount = mounts.first(where: { $0.prefix == key }) {
            route.app = mount.app
        } else if !noDefaultApp, let root {
            route.app = root
        } else {
            return nil
        }
        return route
    }

    /// Routes an environ in place (SCRIPT_NAME and PATH_INFO rewritten, SCRIPT_NAME added if missing):
    /// the app's index, or nil when no app answers the request.
    func route(_ variables: inout [(name: String, value: [UInt8])]) -> Int? {
        guard isActive else { return 0 }
        var scriptIndex: Int?
        var pathIndex: Int?
        var appID: [UInt8]?
        for (index, variable) in variables.enumerated() {
            switch variable.name {
            case "SCRIPT_NAME": scriptIndex = index
            case "PATH_INFO": pathIndex = index
            case "UWSGI_APPID": appID = variable.value
            default: break
            }
        }
        let scriptName = scriptIndex.map { variables[$0].value } ?? []
        let pathInfo = pathIndex.map { variables[$0].value } ?? []
        guard let route = route(scriptName: scriptName, pathInfo: pathInfo, appID: appID) else { return nil }
        if route.scriptName != scriptName {
            if let scriptIndex {
                variables[scriptIndex].value = route.scriptName
            } else {
                variables.append(("SCRIPT_NAME", route.scriptName))
            }
        }
        if route.pathInfo != pathInfo, let pathIndex { variables[pathIndex].value = route.pathInfo }
        return route.app
    }

    /// `prefix` is `path` itself or its leading segments.
    private static func isPrefix(_ prefix: [UInt8], of path: [UInt8]) -> Bool {
        guard path.count >= prefix.count, path.starts(with: prefix) else { return false }
        return path.count == prefix.count || path[prefix.count] == UInt8(ascii: "/")
    }

    private static func trimmingSlashes(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes[...]
        while bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        return Array(bytes)
    }
}
