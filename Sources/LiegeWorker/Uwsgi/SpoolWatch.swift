import LiegeSystem

/// What a spooler process waits on between scans: new task files in its directory (inotify: a task is
/// renamed into place, uWSGI's writers close it) and its lifeline from the master (fd 5: `q` or end of
/// file means stop once the current task is done).
final class SpoolWatch: @unchecked Sendable {
    private let directory: String
    private let inotify: Inotify?
    private let lifeline: Int32
    private var stopping = false

    init(directory: String, lifeline: Int32 = WorkerContract.lifelineFD) {
        self.directory = directory
        self.lifeline = lifeline
        inotify = try? Inotify()
        _ = try? inotify?.watch(directory, mask: Inotify.arrivalMask)
    }

    /// Up to `milliseconds`: returns early when a task may have arrived; true when the master said stop.
    func wait(milliseconds: Int) -> Bool {
        guard !stopping else { return true }
        watchPriorityDirectories()
        var watched: [(fd: Int32, events: PollEvents)] = [(lifeline, .readable)]
        if let inotify { watched.append((inotify.descriptor, .readable)) }
        guard let ready = try? Posix.poll(watched, timeoutMilliseconds: milliseconds) else { return false }
        if !ready[0].isEmpty {
            var byte: UInt8 = 0
            let count = withUnsafeMutableBytes(of: &byte) { (try? Posix.read(lifeline, into: $0)) ?? 0 }
            if count <= 0 || byte == UInt8(ascii: "q") { stopping = true }
        }
        if ready.count > 1, !ready[1].isEmpty { _ = inotify?.pendingEvents() }
        return stopping
    }

    /// `priority` subdirectories (numbers) are watched too, as they appear.
    private func watchPriorityDirectories() {
        guard let inotify, let names = try? Posix.directoryEntries(directory) else { return }
        for name in names where !name.isEmpty && name.allSatisfy(\.isNumber) {
            let path = directory + "/" + name
            if Posix.fileStatus(path)?.isDirectory == true { _ = try? inotify.watch(path, mask: Inotify.arrivalMask) }
        }
    }
}
