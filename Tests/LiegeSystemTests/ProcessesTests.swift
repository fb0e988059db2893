import Testing
@testable import LiegeSystem

/// Serialized: `Processes.reap()` waits for any child, so tests that spawn must not run side by side.
@Suite(.serialized) struct ProcessesTests {
    @Test func exitStatusDecoding() {
        #expect(LiegeSystem.ExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(LiegeSystem.ExitStatus(waitStatus: 0) == .exited(0))
        #expect(LiegeSystem.ExitStatus(waitStatus: 9) == .signaled(9))
        #expect(LiegeSystem.ExitStatus(waitStatus: 15 | 0x80) == .signaled(15))   // with core dump flag
        #expect(LiegeSystem.ExitStatus.exited(22).description == "exited with status 22")
        #expect(LiegeSystem.ExitStatus.signaled(9).description == "killed by signal 9 (SIGKILL)")
        #expect(LiegeSystem.ExitStatus.signaled(9).signal == .kill)
        #expect(LiegeSystem.ExitStatus.exited(0).signal == nil)
    }

    @Test func signalNames() {
        #expect(UnixSignal.terminate.name == "SIGTERM")
        #expect(UnixSignal.hangup.description == "SIGHUP")
        #expect(UnixSignal(rawValue: 60).name == "signal 60")
    }

    @Test func spawnedShellExitStatusIsReaped() throws {
        let pid = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", "exit 3"], environment: [],
                                      fileActions: [.devNull(0), .duplicate(2, to: 1), .duplicate(2, to: 2)])
        #expect(try waitFor(pid) == .exited(3))
        #expect(try Processes.kill(pid, .terminate) == false)   // gone
    }

    @Test func signalledChildIsReapedAsSignaled() throws {
        let pid = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", "exec sleep 30"], environment: [],
                                      fileActions: [.devNull(0), .devNull(1), .devNull(2)])
        #expect(try Processes.killGroup(pid, .kill))   // its own process group
        #expect(try waitFor(pid) == .signaled(9))
    }

    @Test func descriptorsAreMappedEvenWhenSourcesAndTargetsCross() throws {
        // Two pipes whose write ends sit at fds A and B; the child gets A on B's number and B on A's number.
        let first = try Posix.pipe(), second = try Posix.pipe()
        let a = try Posix.duplicate(first.write, atLeast: 20), b = try Posix.duplicate(second.write, atLeast: 21)
        Posix.close(first.write)
        Posix.close(second.write)
        defer { Posix.close(first.read); Posix.close(second.read) }
        let script = "printf one >&\(b); printf two >&\(a); exec env"
        let pid = try Processes.spawn(executable: "/bin/bash", arguments: ["bash", "-c", script], environment: ["LIEGE_TEST=yes"],
                                      fileActions: [.devNull(0), .duplicate(a, to: b), .duplicate(b, to: a), .duplicate(2, to: 2),
                                                    .duplicate(a, to: 1)])
        Posix.close(a)
        Posix.close(b)
        #expect(try waitFor(pid) == .exited(0))
        let firstText = String(decoding: try Posix.readAll(first.read), as: UTF8.self)
        #expect(firstText.hasPrefix("one"))
        #expect(firstText.contains("LIEGE_TEST=yes\n"))
        #expect(!firstText.contains("HOME="))   // only the environment given
        #expect(String(decoding: try Posix.readAll(second.read), as: UTF8.self) == "two")
    }

    @Test func childGetsOnlyMappedDescriptorsAndDefaultSignals() throws {
        let output = try Posix.pipe()
        let keep = try Posix.duplicate(output.write, atLeast: 30)
        Posix.close(output.write)
        defer { Posix.close(output.read) }
        // Lists the child's fds (ls opens one more for its directory) and its blocked-signal mask.
        // One command, no pipeline: a shell's pipe plumbing may hold descriptors of its own.
        let script = "ls /proc/self/fd >&4; grep SigBlk /proc/self/status >&4"
        let pid = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", script], environment: [],
                                      fileActions: [.devNull(0), .devNull(1), .devNull(2), .duplicate(keep, to: 4)])
        Posix.close(keep)
        #expect(try waitFor(pid) == .exited(0))
        let text = String(decoding: try Posix.readAll(output.read), as: UTF8.self)
        let fds = text.split(separator: "S").first.map { $0.split(whereSeparator: \.isWhitespace).compactMap { Int($0) } } ?? []
        #expect(fds.filter { $0 != 3 } == [0, 1, 2, 4])   // fd 3: ls's own directory handle
        #expect(text.contains("SigBlk:\t0000000000000000"))
    }

    @Test func environmentStringsAreSorted() {
        #expect(Processes.environmentStrings(["B": "2", "A": "1=x"]) == ["A=1=x", "B=2"])
    }

    private func waitFor(_ pid: Int32) throws -> LiegeSystem.ExitStatus? {
        let deadline = monotonicMicroseconds() + 5_000_000
        while monotonicMicroseconds() < deadline {
            if let match = Processes.reap().first(where: { $0.pid == pid }) { return match.status }
            _ = try Posix.poll([], timeoutMilliseconds: 10)
        }
        return nil
    }
}
