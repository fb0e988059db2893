import LiegeSystem

/// `liege top ADDR [--once] [--frequency SECONDS]`: a live view of a stats server (Liege's or uWSGI's; a
/// master's workers or an emperor's vassals), refreshed every second; `q` (or Ctrl-C) quits. `--once` prints
/// one plain frame and exits (scripts, or when stdout is no terminal).
public enum LiegeTop {
    public static let usage = "usage: liege top ADDR [--once] [--frequency SECONDS]   (ADDR: host:port, /path.sock, @name, http://host:port/)\n"

    public static func run(arguments: [String]) -> Int32 {
        var once = false
        var frequency = 1
        var addressText: String?
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--once": once = true
            case "--frequency":
                index += 1
                guard index < arguments.count, let value = Int(arguments[index]), value > 0 else {
                    writeStandardError(usage)
                    return 2
                }
                frequency = value
            case "-h", "--help":
                writeStandardError(usage)
                return 0
            default:
                guard addressText == nil else { writeStandardError(usage); return 2 }
                addressText = arguments[index]
            }
            index += 1
        }
        guard let addressText, let fetcher = StatsFetcher(addressText) else {
            writeStandardError(usage)
            return 2
        }
        if once || !Terminal.isTerminal(1) { return printOnce(fetcher, address: addressText) }
        return interactive(fetcher, address: addressText, frequency: frequency)
    }

    private static func read(_ fetcher: StatsFetcher) -> (TopSample?, String?) {
        do {
            let text = try fetcher.fetch()
            guard let document = JSONValue.parse(text), let sample = TopSample(document: document) else {
                return (nil, "not a stats document")
            }
            return (sample, nil)
        } catch {
            return (nil, error.description)
        }
    }

    private static func printOnce(_ fetcher: StatsFetcher, address: String) -> Int32 {
        let (sample, error) = read(fetcher)
        let screen = TopScreen(address: address, width: 200, ansi: false)
        try? Posix.writeAll(1, screen.render(sample, rates: [:], clock: clockText(), error: error))
        return sample == nil ? 1 : 0
    }

    private static func interactive(_ fetcher: StatsFetcher, address: String, frequency: Int) -> Int32 {
        let terminal = Terminal(fd: 0)
        terminal.enterRawMode()
        try? Posix.writeAll(1, "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
        defer {
            try? Posix.writeAll(1, "\u{1B}[?25h\u{1B}[?1049l")
            terminal.restore()
        }
        var previous: (sample: TopSample, at: Int64)?
        while true {
            let (sample, error) = read(fetcher)
            let now = monotonicMicroseconds()
            let rates = sample?.rates(since: previous?.sample, seconds: Double(now - (previous?.at ?? now)) / 1_000_000) ?? [:]
            if let sample { previous = (sample, now) }
            let screen = TopScreen(address: address, width: Terminal.size(of: 1).columns, ansi: true)
            try? Posix.writeAll(1, screen.render(sample, rates: rates, clock: clockText(), error: error))
            let deadline = now + Int64(frequency) * 1_000_000
            while true {
                let left = Int((deadline - monotonicMicroseconds()) / 1000)
                guard left > 0 else { break }
                if let key = terminal.readKey(timeoutMilliseconds: left), key == UInt8(ascii: "q") || key == 3 { return 0 }
            }
        }
    }

    private static func clockText() -> String {
        localTimeString(epochSeconds: wallClockSeconds(), format: "%H:%M:%S")
    }
}
