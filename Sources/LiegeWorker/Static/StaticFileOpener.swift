import LiegeHTTP
import LiegeSystem

/// Opens a candidate file and proves it lies inside its rule's root (or a `static-safe` directory)
/// by the real path of the open descriptor, so what is checked is exactly what is sent.
struct StaticFileOpener {
    let safeRoots: [[UInt8]]

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
        let fd: Int32
        switch StaticFileSystem.open(candidate) {
        case .success(let opened): fd = opened
        case .failure(.notFound): return .notFound
        case .failure: return .denied
        }
        guard let info = try? Posix.fileInfo(fd) else {
            Posix.close(fd)
            return .denied
        }
        if info.isDirectory || !info.isRegularFile {
            Posix.close(fd)
            return info.isDirectory ? .directory : .denied
        }
        guard let real = StaticFileSystem.realPath(of: fd) ?? StaticFileSystem.realPath(candidate) else {
            Posix.close(fd)
            return .denied
        }
        guard isAllowed(real, root: root) else {
            Posix.close(fd)
            return .escaped(realPath: real)
        }
        return .file(StaticOpenFile(fd: fd, info: info, realPath: real))
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

/// An open regular file that passed the checks; the server closes it after sending.
struct StaticOpenFile {
    let fd: Int32
    let info: FileInfo
    let realPath: [UInt8]

    func close() {
        Posix.close(fd)
    }
}
