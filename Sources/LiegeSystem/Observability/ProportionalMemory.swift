/// A process's unique and proportional set sizes from /proc/PID/smaps_rollup (`memory-report = 2`):
/// USS is its private pages, PSS adds its share of the pages it shares with other processes.
public struct ProportionalMemory: Sendable, Equatable {
    public var uniqueBytes: Int
    public var proportionalBytes: Int

    /// nil when the process is gone or the kernel has no smaps_rollup.
    public static func of(_ pid: Int32) -> ProportionalMemory? {
        guard pid > 0, let bytes = try? Posix.readFile("/proc/\(pid)/smaps_rollup") else { return nil }
        return parse(smapsRollup: String(decoding: bytes, as: UTF8.self))
    }

    /// Sums the kB fields `Pss:`, `Private_Clean:` and `Private_Dirty:`.
    static func parse(smapsRollup text: String) -> ProportionalMemory? {
        var pss: Int?
        var privatePages = 0
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { continue }
            switch fields[0] {
            case "Pss:": pss = kilobytes * 1024
            case "Private_Clean:", "Private_Dirty:": privatePages += kilobytes * 1024
            default: break
            }
        }
        return pss.map { ProportionalMemory(uniqueBytes: privatePages, proportionalBytes: $0) }
    }
}
