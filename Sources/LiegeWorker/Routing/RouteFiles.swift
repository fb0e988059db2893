import LiegeSystem

/// What routing conditions may ask of the file system; the worker's is the real one, tests pass a table.
protocol RouteFiles {
    func kind(of path: [UInt8]) -> PathKind?
}

/// The worker's file system.
struct SystemRouteFiles: RouteFiles {
    func kind(of path: [UInt8]) -> PathKind? {
        StaticFileSystem.kind(of: path)
    }
}
