import Foundation
import Testing
@testable import LiegeSystem

@Suite struct StaticFileSystemTests {
    private func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "liege-static-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return String(decoding: StaticFileSystem.realPath(Array(path.utf8)) ?? [], as: UTF8.self)
    }

    @Test func opensReadsAndNamesTheRealFile() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("0123456789".utf8).write(to: URL(fileURLWithPath: directory + "/f.txt"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/link", withDestinationPath: directory + "/f.txt")
        let fd = try StaticFileSystem.open(Array((directory + "/link").utf8)).get()
        defer { Posix.close(fd) }
        #expect(StaticFileSystem.realPath(of: fd) == Array((directory + "/f.txt").utf8))
        var buffer = [UInt8](repeating: 0, count: 4)
        let count = try buffer.withUnsafeMutableBytes { try StaticFileSystem.read(fd, into: $0, at: 3) }
        #expect(count == 4 && buffer == Array("3456".utf8))
        #expect(StaticFileSystem.realPath(Array((directory + "/link").utf8)) == Array((directory + "/f.txt").utf8))
    }

    @Test func failuresAreClassified() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/file"))
        try FileManager.default.createSymbolicLink(atPath: directory + "/loop", withDestinationPath: directory + "/loop")
        #expect(StaticFileSystem.open(Array((directory + "/missing").utf8)) == .failure(.notFound))
        #expect(StaticFileSystem.open(Array((directory + "/file/below").utf8)) == .failure(.notFound))
        #expect(StaticFileSystem.open(Array((directory + "/loop").utf8)) == .failure(.denied))
        #expect(StaticFileSystem.realPath(Array((directory + "/missing").utf8)) == nil)
    }
}
