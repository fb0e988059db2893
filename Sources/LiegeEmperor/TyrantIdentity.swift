import LiegeSystem

/// Tyrant mode, vassal side: `LIEGE_TYRANT=uid:gid[:user]` set by the emperor makes the new `liege`
/// process become that user before it reads anything (SPEC.md §12.4).
public enum TyrantIdentity {
    /// Drops to the identity named by `LIEGE_TYRANT` (and removes the variable); nil on success or when
    /// it is not set, else the error to print before exiting 1.
    public static func adoptFromEnvironment() -> String? {
        guard let text = ProcessFacts.current.environment[EmperorContract.tyrantVariable] else { return nil }
        Posix.setEnvironment(EmperorContract.tyrantVariable, nil)
        let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
        guard parts.count >= 2, let uid = UInt32(parts[0]), let gid = UInt32(parts[1]), uid != 0, gid != 0 else {
            return "invalid LIEGE_TYRANT \"\(text)\""
        }
        do {
            try Posix.becomeUser(uid: uid, gid: gid, groupsOf: parts.count > 2 ? parts[2] : nil)
        } catch {
            return "cannot become uid \(uid) gid \(gid): \(error)"
        }
        return nil
    }
}
