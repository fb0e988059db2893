import LiegeSystem

/// Runs `/bin/sh -c 'COMMAND "$1"' sh ARGUMENT` and returns the first line it prints
/// (`emperor-on-demand-exec`).
enum CommandOutput {
    static func firstLine(of command: String, argument: String, environment: [String: String]) -> String? {
        guard let pipe = try? Posix.pipe() else { return nil }
        defer { Posix.close(pipe.read) }
        let pid: Int32
        do {
            pid = try Processes.spawn(executable: "/bin/sh", arguments: ["sh", "-c", command + " \"$1\"", "sh", argument],
                                      environment: Processes.environmentStrings(environment),
                                      fileActions: [.devNull(0), .duplicate(pipe.write, to: 1), .duplicate(2, to: 2)],
                                      newProcessGroup: true)
        } catch {
            Posix.close(pipe.write)
            return nil
        }
        Posix.close(pipe.write)
        let output = (try? Posix.readAll(pipe.read)) ?? []
        _ = Processes.wait(for: pid)
        return Governor.firstLine(output)
    }
}
