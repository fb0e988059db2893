import LiegeHTTP
import LiegeSystem

/// Opens a candidate file and proves it lies inside its rule's root (or a `static-safe` directory)
/// by the real path of the open descriptor, so what is checked is exactly what is sent.
struct StaticFileOpener {
    let safeRoots: [[UInt8]]
    /// What earlier requests proved (real paths, validators, small files' bytes).
    let cache = StaticFileCache()

    enum Outcome {
        case file(StaticOpenFile)
        case directory
        case notFound
        /// Not readable by the worker, or not a regular file.
        case denied
        /// Resolves outside the root and every static-safe directory (a symlink pointing out).
        case escaped(realPath: [UInt8])
    }

    func open(_ candidate: [UInt8], root: [UInt8]) -> Outcome {
        let known = cache.entry(candidate, root: root)
        if let known, let content = known.content {
            // A small file served before: one stat proves it is still the same inode, unchanged.
            if let (info, stamp) = StaticFileSystem.describe(path: candidate), stamp == known.stamp {
                return .file(StaticOpenFile(fd: -1, info: info, realPath: known.realPath, lastModified: known.lastModified,
                                            entityTag: known.entityTag, content: content))
            }
            cache.forget(candidate, root: root)
        }
        let fd: Int32
        switch StaticFileSystem.open(candidate) {
        case .success(let opened): fd = opened
        case .failure(.notFound): return .notFound
        case .failure: return .denied
        }
        guard let (info, stamp) = StaticFileSystem.describe(fd) else {
            Posix.close(fd)
            return .denied
        }
        if info.isDirectory || !info.isRegularFile {
            Posix.close(fd)
            return info.isDirectory ? .directory : .denied
        }
        let real: [UInt8]
        if let known, known.stamp == stamp {
            // The inode proven inside the root before, untouched since (a move or a new link changes its stamp).
            guard info.size <= StaticFileCache.contentLimit else {
                return .file(StaticOpenFile(fd: fd, info: info, realPath: known.realPath, lastModified: known.lastModified,
                                            entityTag: known.entityTag, content: nil))
            }
            real = known.realPath   // a small file that may have settled since: remembered again, with its bytes
        } else {
            guard let resolved = StaticFileSystem.realPath(of: fd) ?? StaticFileSystem.realPath(candidate) else {
                Posix.close(fd)
                return .denied
            }
            guard isAllowed(resolved, root: root) else {
                Posix.close(fd)
                return .escaped(realPath: resolved)
            }
            real = resolved
        }
        let entry = cache.remember(candidate, root: root, stamp: stamp, info: info, realPath: real, fd: fd,
                                   now: wallClockSeconds())
        return .file(StaticOpenFile(fd: fd, info: info, realPath: real, lastModified: entry.lastModified,
                                    entityTag: entry.entityTag, content: entry.content))
    }

    /// Inside the root: by the configured root first (when it is canonical, a canonical path under it is
    /// proof enough and costs nothing), then by the root's real path resolved now, then the safe dirs.
    private func isAllowed(_ real: [UInt8], root: [UInt8]) -> Bool {
        if StaticPath.isInside(real, root: root) { return true }
        if let realRoot = StaticFileSystem.realPath(root), StaticPath.isInside(real, root: realRoot) { return true }
        for safe in safeRoots {
            if StaticPath.isInside(real, root: safe) { return true }
            if let realSafe = StaticFileSystem.realPath(safe), StaticPath.isInside(real, root: realSafe) { return true }
        }
        return false
    }
}

/// A regular file that passed the checks: open (the server closes it after sending), or, for a small
/// file known unchanged, its bytes alone (`fd` is -1).
struct StaticOpenFile {
    let fd: Int32
    let info: FileInfo
    let realPath: [UInt8]
    /// Its validators, as sent.
    let lastModified: String
    let entityTag: String
    /// The whole file, when the cache holds it.
    let content: [UInt8]?

    func close() {
        if fd >= 0 { Posix.close(fd) }
    }
}
