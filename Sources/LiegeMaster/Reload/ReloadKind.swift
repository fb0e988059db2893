/// How workers are replaced (SPEC.md §5.1).
enum ReloadKind: Equatable, CustomStringConvertible {
    /// Config re-read, import check, then every worker replaced (SIGHUP, fifo `r`, touch-reload).
    case graceful
    /// The same, with the config as it is (fifo `w`, touch-workers-reload).
    case workers
    /// Like graceful, one worker at a time, the next once the new one accepts (fifo `c`, touch-chain-reload).
    case chain
    /// Kill every worker now and respawn; `rereadConfig` for fifo `R`, not for `W`.
    case brutal(rereadConfig: Bool)

    var rereadsConfig: Bool {
        switch self {
        case .graceful, .chain: return true
        case .workers: return false
        case .brutal(let reread): return reread
        }
    }

    var description: String {
        switch self {
        case .graceful: return "graceful reload"
        case .workers: return "workers reload"
        case .chain: return "chain reload"
        case .brutal(let reread): return reread ? "brutal reload" : "brutal workers reload"
        }
    }
}
