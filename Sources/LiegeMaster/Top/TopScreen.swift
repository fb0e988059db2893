/// Draws one `liege top` frame as text: a summary, then one line per worker (or vassal). With `ansi`, the
/// frame starts by homing the cursor, the header is in reverse video, busy workers are green, and every line
/// clears to its end; without it the frame is plain text (`--once`).
public struct TopScreen: Sendable {
    public var address: String
    public var width: Int
    public var ansi: Bool

    public init(address: String, width: Int, ansi: Bool) {
        self.address = address
        self.width = max(40, width)
        self.ansi = ansi
    }

    static let workerColumns: [(title: String, width: Int)] = [
        ("WID", 5), ("PID", 9), ("STATUS", 8), ("REQ", 10), ("RPS", 8), ("EXC", 6), ("AVG", 9), ("RSS", 9),
        ("TX", 9), ("RESPAWN", 8), ("HARAKIRI", 8),
    ]

    public func render(_ sample: TopSample?, rates: [String: Double], clock: String, error: String? = nil) -> String {
        var lines: [(text: String, style: String?)] = []
        guard let sample else {
            lines.append(("liege top - \(address) - \(clock)", nil))
            lines.append(("", nil))
            lines.append(("cannot read stats: \(error ?? "no document")", nil))
            return frame(lines)
        }
        var title = "liege top - \(address) - \(clock)"
        if !sample.version.isEmpty { title += " - version \(sample.version)" }
        if sample.pid > 0 { title += " - pid \(sample.pid)" }
        if !sample.mode.isEmpty { title += " - mode \(sample.mode)" }
        lines.append((title, nil))
        if let vassals = sample.vassals {
            lines.append(("vassals: \(vassals.count) (\(vassals.filter { $0.state == "running" }.count) running)", nil))
            lines.append(("", nil))
            lines.append((Self.row([("VASSAL", 30), ("PID", 9), ("STATE", 12), ("RESPAWNS", 9)]), "7"))
            for vassal in vassals {
                let style = vassal.state == "backoff" || vassal.state == "invalid" ? "31" : nil
                lines.append((Self.row([(vassal.id, 30), (String(vassal.pid), 9), (vassal.state, 12), (String(vassal.respawns), 9)]), style))
            }
            lines.append(("", nil))
            lines.append(("q: quit", nil))
            return frame(lines)
        }
        let total = rates.values.reduce(0, +)
        let served = sample.workers.filter { $0.requests > 0 }
        let average = served.isEmpty ? 0 : served.reduce(0) { $0 + $1.averageMicros } / served.count
        lines.append(("workers: \(sample.workers.count) (busy \(sample.busy), idle \(sample.idle)) - req: \(sample.requests)"
                      + " - RPS: \(Int(total.rounded())) - avg: \(Self.milliseconds(average)) - lq: \(sample.listenQueue)"
                      + " - rss: \(Self.size(sample.workers.reduce(0) { $0 + $1.rssBytes }))", nil))
        lines.append(("", nil))
        lines.append((Self.row(Self.workerColumns.map { ($0.title, $0.width) }), "7"))
        for worker in sample.workers {
            let values = [
                worker.id, String(worker.pid), worker.status, String(worker.requests),
                String(Int((rates[worker.id] ?? 0).rounded())), String(worker.exceptions), Self.milliseconds(worker.averageMicros),
                Self.size(worker.rssBytes), Self.size(worker.txBytes), String(worker.respawns), String(worker.harakiri),
            ]
            let style: String? = worker.status == "busy" ? "32" : (worker.status == "cheap" || worker.pid == 0 ? "35" : nil)
            lines.append((Self.row(zip(values, Self.workerColumns).map { ($0, $1.width) }), style))
        }
        if !sample.daemons.isEmpty {
            lines.append(("", nil))
            lines.append((Self.row([("DAEMON PID", 11), ("COMMAND", 60)]), "7"))
            for daemon in sample.daemons { lines.append((Self.row([(String(daemon.pid), 11), (daemon.command, 60)]), nil)) }
        }
        lines.append(("", nil))
        lines.append(("q: quit", nil))
        return frame(lines)
    }

    private func frame(_ lines: [(text: String, style: String?)]) -> String {
        var out = ansi ? "\u{1B}[H" : ""
        for line in lines {
            let text = String(line.text.prefix(width))
            if ansi {
                let padded = line.style == "7" ? text + String(repeating: " ", count: max(0, width - text.count)) : text
                out += (line.style.map { "\u{1B}[\($0)m" + padded + "\u{1B}[0m" } ?? padded) + "\u{1B}[K\r\n"
            } else {
                out += String(text.reversed().drop { $0 == " " }.reversed()) + "\n"
            }
        }
        if ansi { out += "\u{1B}[J" }
        return out
    }

    static func row(_ cells: [(String, Int)]) -> String {
        cells.map { text, width in
            " " + (text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count))
        }.joined()
    }

    static func milliseconds(_ micros: Int) -> String {
        micros >= 10_000 ? "\(micros / 1000)ms" : "\(micros / 1000).\((micros % 1000) / 100)ms"
    }

    static func size(_ bytes: Int) -> String {
        let units: [(Int, String)] = [(1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
        for (scale, unit) in units where bytes >= scale {
            let tenths = bytes * 10 / scale
            return "\(tenths / 10).\(tenths % 10)\(unit)"
        }
        return String(bytes)
    }
}
