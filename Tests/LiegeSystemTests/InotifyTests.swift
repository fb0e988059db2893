import Dispatch
import Foundation
import Testing
@testable import LiegeSystem

@Suite struct InotifyTests {
    /// Events gathered on the watcher's queue, read from the test's thread.
    final class Names: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String] = []
        func append(_ more: [String]) { lock.withLock { names += more } }
        var all: [String] { lock.withLock { names } }
    }

    @Test func startedInstanceDeliversNamedEventsUntilClosed() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let queue = DispatchQueue(label: "test.inotify")
        let names = Names()
        let inotify = try Inotify()
        _ = try inotify.watch(directory)
        queue.sync { inotify.start(on: queue) { events in names.append(events.map(\.name)) } }
        _ = FileManager.default.createFile(atPath: directory + "/shop.ini", contents: Data("a".utf8))
        #expect(eventually { names.all.contains("shop.ini") })
        queue.sync { inotify.close() }
        let seen = names.all.count
        _ = FileManager.default.createFile(atPath: directory + "/blog.ini", contents: Data("b".utf8))
        Thread.sleep(forTimeInterval: 0.1)
        queue.sync {}
        #expect(names.all.count == seen)
        #expect(throws: SystemError.self) { try inotify.watch(directory) }
    }

    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 where !condition() { Thread.sleep(forTimeInterval: 0.01) }
        return condition()
    }
}
