import CSystem

/// `/bin/sh -c COMMAND`, run to its end: for `@(exec://...)` in configs and the `exec:` hooks.
public enum ShellCommand {
    /// Runs `command` with its stdout captured (stderr goes to this process's stderr); nil when it could
    /// not be started.
    public static func output(of command: String, environment: [String: String]) -> (output: [UInt8], status: ExitStatus)? {
        guard let pipe = try? Posix.pipe() else { return nil }
        defer { Posix.close(pipe.read) }
        let pid: Int32
        do {
            pid = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", command],
                                      environment: Processes.environmentStrings(environment),
                                      fileActions: [.devNull(0), .duplicate(pipe.write, to: 1), .duplicate(2, to: 2)])
        } catch {
            Posix.close(pipe.write)
            return nil
        }
        Posix.close(pipe.write)
        let output = (try? Posix.readAll(pipe.read)) ?? []
        guard let status = Processes.wait(for: pid) else { return nil }
        return (output, status)
    }

    /// Runs `command` with stdout and stderr on this process's fd 2 (the log) and returns how it ended,
    /// nil when it could not be started.
    public static func run(_ command: String, environment: [String: String]) -> ExitStatus? {
        let pid: Int32
        do {
            pid = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", command],
                                      environment: Processes.environmentStrings(environment),
                                      fileActions: [.devNull(0), .duplicate(2, to: 1), .duplicate(2, to: 2)])
        } catch {
            return nil
        }
        return Processes.wait(for: pid)
    }

    /// As `run`, for a process whose children another thread reaps (the master's supervision loop): the
    /// shell reports the command's status on a pipe instead of through waitpid.
    public static func runReportingStatus(_ command: String, environment: [String: String]) -> ExitStatus? {
        guard let pipe = try? Posix.pipe() else { return nil }
        defer { Posix.close(pipe.read) }
        do {
            _ = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", "( \(command)\n); echo $? >&3"],
                                    environment: Processes.environmentStrings(environment),
                                    fileActions: [.devNull(0), .duplicate(2, to: 1), .duplicate(2, to: 2),
                                                  .duplicate(pipe.write, to: 3)])
        } catch {
            Posix.close(pipe.write)
            return nil
        }
        Posix.close(pipe.write)
        let text = String(decoding: (try? Posix.readAll(pipe.read)) ?? [], as: UTF8.self)
        guard let code = Int32(text.filter { !$0.isWhitespace }) else { return nil }
        return .exited(code)
    }
}

extension Posix {
    /// Calls the function `name` of this process (dlsym), with one C string argument; false when there is
    /// no such symbol (uWSGI's `call:` hooks).
    public static func callFunction(named name: String, argument: String?) -> Bool {
        if let argument {
            return argument.withCString { csystem_call_symbol(name, $0) } == 0
        }
        return csystem_call_symbol(name, nil) == 0
    }
}
