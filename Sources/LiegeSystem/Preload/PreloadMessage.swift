/// What the master and a preloader (`lazy-apps = false`) say to each other over their `MessageChannel`
/// (fd 5 in the preloader), one message per packet, as short text.
///
/// master -> preloader: `fork SLOT HELD` with three descriptors: the new worker's lifeline (read end,
/// its fd 5), its log pipe (fds 1 and 2) and its generation's scoreboard (fd 4).
/// preloader -> master: `ready` once the app is imported (the import check of a reload), `refused N`
/// when the process has N threads and must not fork (then it exits and workers are spawned as usual),
/// and per fork request `forked PID` or `fork-failed REASON`.
public enum PreloadMessage: Sendable, Equatable {
    case fork(slot: Int, held: Bool)
    case ready
    case refused(threads: Int)
    case forked(pid: Int32)
    case forkFailed(reason: String)

    /// How many descriptors travel with a `fork` request.
    public static let forkDescriptorCount = 3

    public var text: String {
        switch self {
        case .fork(let slot, let held): return "fork \(slot) \(held ? 1 : 0)"
        case .ready: return "ready"
        case .refused(let threads): return "refused \(threads)"
        case .forked(let pid): return "forked \(pid)"
        case .forkFailed(let reason): return "fork-failed \(reason)"
        }
    }

    public init?(text: String) {
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first else { return nil }
        let rest = words.count > 1 ? words[1] : ""
        switch verb {
        case "fork":
            let parts = rest.split(separator: " ")
            guard parts.count == 2, let slot = Int(parts[0]), slot > 0, let held = ["0": false, "1": true][String(parts[1])] else {
                return nil
            }
            self = .fork(slot: slot, held: held)
        case "ready" where rest.isEmpty:
            self = .ready
        case "refused":
            guard let threads = Int(rest) else { return nil }
            self = .refused(threads: threads)
        case "forked":
            guard let pid = Int32(rest), pid > 0 else { return nil }
            self = .forked(pid: pid)
        case "fork-failed":
            self = .forkFailed(reason: rest)
        default:
            return nil
        }
    }
}
