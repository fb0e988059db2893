import Dispatch
import Foundation
import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeMaster

@Suite struct ReloadKindTests {
    @Test func onlyWorkersReloadsKeepTheConfig() {
        #expect(ReloadKind.graceful.rereadsConfig)
        #expect(ReloadKind.chain.rereadsConfig)
        #expect(ReloadKind.brutal(rereadConfig: true).rereadsConfig)
        #expect(!ReloadKind.workers.rereadsConfig)
        #expect(!ReloadKind.brutal(rereadConfig: false).rereadsConfig)
    }

    @Test func lifecycleSettingsAreRead() throws {
        let config = try Config.load(arguments: [
            "--http-socket", ":8000", "--harakiri", "5", "--touch-reload", "/tmp/a", "--touch-reload", "/tmp/b",
            "--master-fifo", "/tmp/f", "--logdate", "[%%Y]", "--log-maxsize", "2K", "--evil-reload-on-rss", "300",
        ], environment: [:], workingDirectory: "/tmp")
        let settings = MasterSettings(config)
        #expect(settings.harakiri == 5)
        #expect(settings.touchReload == ["/tmp/a", "/tmp/b"])
        #expect(settings.masterFifo == "/tmp/f")
        #expect(settings.logDate == "[%Y]")
        #expect(settings.logMaxSize == 2048)
        #expect(settings.evilReloadOnRSSMB == 300)
        #expect(settings.logFile == nil)
    }
}

@Suite struct FileChangeTests {
    let stamp = FileStamp(device: 1, inode: 2, modifiedNanoseconds: 3, changedNanoseconds: 4)

    @Test func appearanceChangeAndRemoval() {
        #expect(FileChange.between(nil, nil) == nil)
        #expect(FileChange.between(nil, stamp) == .appeared)
        #expect(FileChange.between(stamp, nil) == .removed)
        #expect(FileChange.between(stamp, stamp) == nil)
        var newInode = stamp
        newInode.inode = 9
        #expect(FileChange.between(stamp, newInode) == .changed)
        var touched = stamp
        touched.changedNanoseconds += 1
        #expect(FileChange.between(stamp, touched) == .changed)
    }
}

/// A temporary directory removed at deinit.
final class Scratch {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "liege-master-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []
    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

func waitFor(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}

@Suite struct FileWatcherTests {
    @Test func touchEditRenameAndAppearanceAreSeenRemovalOnlyReported() throws {
        let scratch = Scratch()
        let file = scratch.path + "/reload.touch"
        let queue = DispatchQueue(label: "test.watcher")
        let seen = Collected<FileChange>()
        let watcher = try queue.sync {
            try FileWatcher(paths: [file], queue: queue, coalesceMilliseconds: 20) { changes in
                for change in changes { seen.append(change.change) }
            }
        }
        defer { queue.sync { watcher.cancel() } }
        #expect(queue.sync { watcher.missing } == [file])
        _ = FileManager.default.createFile(atPath: file, contents: Data("a".utf8))
        #expect(waitFor { seen.all == [.appeared] })
        try Data("bb".utf8).write(to: URL(fileURLWithPath: file + ".new"))
        try FileManager.default.removeItem(atPath: file)
        try FileManager.default.moveItem(atPath: file + ".new", toPath: file)
        #expect(waitFor { seen.all.count == 2 })
        #expect(seen.all.last == .changed)
        try FileManager.default.removeItem(atPath: file)
        #expect(waitFor { seen.all.last == .removed })
    }

    @Test func eventsWithinTheWindowAreOneLook() throws {
        let scratch = Scratch()
        let file = scratch.path + "/app.py"
        _ = FileManager.default.createFile(atPath: file, contents: Data("1".utf8))
        let queue = DispatchQueue(label: "test.watcher2")
        let batches = Collected<Int>()
        let watcher = try queue.sync {
            try FileWatcher(paths: [file], queue: queue, coalesceMilliseconds: 200) { changes in batches.append(changes.count) }
        }
        defer { queue.sync { watcher.cancel() } }
        for index in 0..<5 { try Data("\(index)".utf8).write(to: URL(fileURLWithPath: file)) }
        #expect(waitFor { batches.all == [1] })
        Thread.sleep(forTimeInterval: 0.4)
        #expect(batches.all == [1])
    }
}

@Suite struct ControlFifoTests {
    @Test func bytesArriveInOrderAcrossWritersAndARemovedFifoComesBack() throws {
        let scratch = Scratch()
        let path = scratch.path + "/master.fifo"
        let queue = DispatchQueue(label: "test.fifo")
        let bytes = Collected<UInt8>()
        let fifo = try queue.sync { try ControlFifo(path: path, queue: queue) { bytes.append($0) } }
        defer { queue.sync { fifo.close(remove: true) } }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        for text in ["r", "wc", "q"] {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            handle.write(Data(text.utf8))
            try handle.close()
        }
        #expect(waitFor { bytes.all.count == 4 })
        #expect(String(decoding: bytes.all, as: UTF8.self) == "rwcq")
        try FileManager.default.removeItem(atPath: path)
        queue.sync { fifo.ensurePresent() }
        #expect(FileManager.default.fileExists(atPath: path))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.write(Data("s".utf8))
        try handle.close()
        #expect(waitFor { bytes.all.last == UInt8(ascii: "s") })
    }
}

@Suite struct PrivilegeDropTests {
    @Test func namesAndNumbersResolve() throws {
        let nobody = try PrivilegeDrop(user: "nobody", group: nil)
        #expect(nobody.userID == 65534)
        #expect(nobody.userName == "nobody")
        #expect(nobody.groupID != nil)
        let numeric = try PrivilegeDrop(user: "65534", group: "0")
        #expect(numeric.userID == 65534 && numeric.groupID == 0)
        #expect(try PrivilegeDrop(user: nil, group: nil).isEmpty)
    }

    @Test func unknownNamesAreErrors() {
        #expect(throws: SystemError.self) { try PrivilegeDrop(user: "no-such-user-liege", group: nil) }
        #expect(throws: SystemError.self) { try PrivilegeDrop(user: nil, group: "no-such-group-liege") }
    }
}

@Suite struct PidfileSignalTests {
    @Test func missingOrBadPidfilesAreErrors() throws {
        let scratch = Scratch()
        #expect(throws: SystemError.self) { try PidfileSignal.send(.hangup, toPidfile: scratch.path + "/none.pid") }
        let bad = scratch.path + "/bad.pid"
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: bad))
        #expect(throws: SystemError.self) { try PidfileSignal.send(.hangup, toPidfile: bad) }
    }
}

@Suite struct SocketTableTests {
    @Test func unchangedAddressesKeepTheirSocketNewOnesAreBoundOldOnesClosed() throws {
        let scratch = Scratch()
        let log = Logger(name: "test")
        let table = SocketTable()
        func settings(_ sockets: [String]) throws -> MasterSettings {
            MasterSettings(try Config.load(arguments: sockets.flatMap { ["--socket", $0] }, environment: [:], workingDirectory: "/tmp"))
        }
        let first = try table.sockets(for: settings([scratch.path + "/a.sock"]), log: log)
        let second = try table.sockets(for: settings([scratch.path + "/a.sock", scratch.path + "/b.sock"]), log: log)
        #expect(second[0].socket.fd == first[0].socket.fd)
        #expect(second.count == 2)
        table.closeAll(except: [second[1].key], log: log)
        #expect(table.sockets.count == 1)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/a.sock"))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/b.sock"))
        table.closeAll(vacuum: true)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/b.sock"))
    }
}
