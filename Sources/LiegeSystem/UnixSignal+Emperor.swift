import Glibc

extension UnixSignal {
    /// SIGURG: the emperor resets every vassal's respawn back-off (SPEC.md §12.3).
    public static let urgent = UnixSignal(rawValue: SIGURG)
}
