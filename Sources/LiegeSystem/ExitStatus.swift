import CSystem

/// How a child ended, decoded from a waitpid status.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Decodes a raw wait status (WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG).
    public init(waitStatus status: Int32) {
        if csystem_wifsignaled(status) != 0 {
            self = .signaled(csystem_wtermsig(status))
        } else {
            self = .exited(csystem_wexitstatus(status))
        }
    }

    public var signal: UnixSignal? {
        if case .signaled(let number) = self { return UnixSignal(rawValue: number) }
        return nil
    }

    /// `exited with status 3` / `killed by signal 9 (SIGKILL)`: the words the master logs.
    public var description: String {
        switch self {
        case .exited(let code): return "exited with status \(code)"
        case .signaled(let number): return "killed by signal \(number) (\(UnixSignal(rawValue: number).name))"
        }
    }
}
