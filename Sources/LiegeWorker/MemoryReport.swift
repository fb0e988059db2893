import LiegeSystem

/// `memory-report`: the worker's memory read after each request, as uWSGI reports it — the line prefix
/// `{address space usage: N bytes/NMB} {rss usage: N bytes/NMB} ` (level 2 adds USS and PSS), and the
/// request log variables `%(vsz)`, `%(rss)`, `%(uss)`, `%(pss)` and their `M` (megabyte) forms.
struct MemoryReport: Equatable {
    var addressSpace: Int
    var resident: Int
    var unique: Int?
    var proportional: Int?

    /// This process's memory now (level 2 also reads smaps_rollup); nil when /proc cannot be read.
    static func sample(level: Int, pid: Int32) -> MemoryReport? {
        guard level > 0, let memory = ProcessMemory.of(pid) else { return nil }
        var report = MemoryReport(addressSpace: memory.virtualBytes, resident: memory.residentBytes)
        if level > 1, let extra = ProportionalMemory.of(pid) {
            report.unique = extra.uniqueBytes
            report.proportional = extra.proportionalBytes
        }
        return report
    }

    /// The text uWSGI puts before the request log line.
    var linePrefix: String {
        var text = "{address space usage: \(Self.amount(addressSpace))} {rss usage: \(Self.amount(resident))} "
        if let unique, let proportional {
            text += "{uss usage: \(Self.amount(unique))} {pss usage: \(Self.amount(proportional))} "
        }
        return text
    }

    /// A request log variable's value (`rss`, `vszM`...), nil when the name is not one of them.
    func variable(_ name: String) -> String? {
        let megabytes = name.hasSuffix("M")
        let value: Int?
        switch megabytes ? String(name.dropLast()) : name {
        case "rss": value = resident
        case "vsz": value = addressSpace
        case "uss": value = unique
        case "pss": value = proportional
        default: return nil
        }
        guard let value else { return "-" }
        return String(megabytes ? value / 1024 / 1024 : value)
    }

    private static func amount(_ bytes: Int) -> String {
        "\(bytes) bytes/\(bytes / 1024 / 1024)MB"
    }
}
