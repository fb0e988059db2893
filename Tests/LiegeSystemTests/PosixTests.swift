import Foundation
import Testing
@testable import LiegeSystem

@Suite struct PosixTests {
    @Test func memfdHoldsTextFromOffsetZero() throws {
        let fd = try Posix.memfd(name: "config", text: "processes=4\nname=shop")
        defer { Posix.close(fd) }
        #expect(String(decoding: try Posix.readAll(fd), as: UTF8.self) == "processes=4\nname=shop")
        #expect(String(decoding: try Posix.readAll(fd), as: UTF8.self) == "processes=4\nname=shop")   // again: pread
        #expect(try Posix.fileInfo(fd).size == 21)
    }

    @Test func pidfileIsWrittenWhole() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/shop.pid"
        try Posix.writePidfile(path, pid: 31337)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "31337\n")
        try Posix.writePidfile(path, pid: 7)   // replaced, not appended
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "7\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["shop.pid"])
    }

    @Test func pidfileInMissingDirectoryThrows() {
        #expect(throws: SystemError.self) { try Posix.writePidfile("/nonexistent-liege-dir/x.pid", pid: 1) }
    }

    @Test func errorDescriptionNamesCallAndReason() {
        let error = SystemError(call: "bind 127.0.0.1:80", errno: 13)
        #expect(error.description == "bind 127.0.0.1:80: Permission denied (errno 13)")
        #expect(SystemError(call: "unknown user \"x\"", errno: 0).description == "unknown user \"x\"")
        #expect(SystemError(call: "read", errno: 11).isTimeout)
        #expect(SystemError(call: "send", errno: 32).isPeerGone)
        #expect(!SystemError(call: "send", errno: 13).isPeerGone)
    }

    @Test func pipeCarriesBytesAndPollSeesThem() throws {
        let (readEnd, writeEnd) = try Posix.pipe()
        defer { Posix.close(readEnd) }
        #expect(try Posix.poll([(readEnd, .readable)], timeoutMilliseconds: 0) == [[]])
        try Posix.writeAll(writeEnd, "q")
        #expect(try Posix.poll([(readEnd, .readable)], timeoutMilliseconds: 1000)[0].contains(.readable))
        var byte: [UInt8] = [0]
        #expect(try byte.withUnsafeMutableBytes { try Posix.read(readEnd, into: $0) } == 1)
        #expect(byte == [UInt8(ascii: "q")])
        Posix.close(writeEnd)
        let events = try Posix.poll([(readEnd, .readable)], timeoutMilliseconds: 1000)[0]
        #expect(events.contains(.hangup))
        #expect(try byte.withUnsafeMutableBytes { try Posix.read(readEnd, into: $0) } == 0)   // EOF: the lifeline case
    }

    @Test func clocksAndFacts() {
        let first = monotonicMicroseconds()
        let second = monotonicMicroseconds()
        #expect(first > 0 && second >= first)
        #expect(wallClockSeconds() > 1_700_000_000)
        #expect(somaxconn() > 0)
        #expect((residentSetKB(Posix.processID) ?? 0) > 1000)
        #expect(residentSetKB(Int32.max) == nil)
    }
}

func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "liege-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
