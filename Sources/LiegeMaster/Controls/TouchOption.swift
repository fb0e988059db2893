/// A `touch-*` option: the files it watches and what touching one does (SPEC.md §5.4).
enum TouchOption: String, CaseIterable, Sendable {
    case reload = "touch-reload"
    case workersReload = "touch-workers-reload"
    case chainReload = "touch-chain-reload"
    case logReopen = "touch-logreopen"

    func paths(in settings: MasterSettings) -> [String] {
        switch self {
        case .reload: settings.touchReload
        case .workersReload: settings.touchWorkersReload
        case .chainReload: settings.touchChainReload
        case .logReopen: settings.touchLogReopen
        }
    }
}
