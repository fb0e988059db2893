/// The `--print-config` text: `key = value` lines in order of first appearance; a scalar once with
/// its effective value, a list option once per entry.
public enum PrintedConfig {
    public static func render(_ config: Config) -> String {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for entry in config.entries {
            if values[entry.key] == nil { order.append(entry.key) }
            values[entry.key, default: []].append(entry.value)
        }
        var lines: [String] = []
        for key in order {
            let all = values[key] ?? []
            let repeatable = OptionRegistry.spec(named: key)?.repeatable ?? false
            for value in repeatable ? all : Array(all.suffix(1)) { lines.append("\(key) = \(value)") }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
