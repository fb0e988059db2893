/// One reading of a stats server as `liege top` shows it: a Liege or uWSGI master (workers) or an emperor
/// (vassals). Keys missing from the document read as 0 or "", so older or other servers still display.
public struct TopSample: Sendable, Equatable {
    public struct Worker: Sendable, Equatable {
        public var id: String
        public var pid: Int
        public var status: String
        public var requests: Int
        public var exceptions: Int
        public var averageMicros: Int
        public var rssBytes: Int
        public var txBytes: Int
        public var respawns: Int
        public var harakiri: Int
    }

    public struct Vassal: Sendable, Equatable {
        public var id: String
        public var pid: Int
        public var state: String
        public var respawns: Int
    }

    public var version: String
    public var pid: Int
    public var mode: String
    public var listenQueue: Int
    public var workers: [Worker]
    public var daemons: [(command: String, pid: Int)]
    public var vassals: [Vassal]?

    public static func == (lhs: TopSample, rhs: TopSample) -> Bool {
        lhs.version == rhs.version && lhs.pid == rhs.pid && lhs.mode == rhs.mode && lhs.listenQueue == rhs.listenQueue
            && lhs.workers == rhs.workers && lhs.vassals == rhs.vassals
            && lhs.daemons.map(\.command) == rhs.daemons.map(\.command) && lhs.daemons.map(\.pid) == rhs.daemons.map(\.pid)
    }

    /// Reads a stats document; nil when it is not JSON or has neither workers nor vassals.
    public init?(document: JSONValue) {
        guard case .object = document, !document["workers"].isNull || !document["vassals"].isNull else { return nil }
        version = document["version"].string
        pid = document["pid"].int
        mode = document["mode"].string
        listenQueue = document["listen_queue"].int
        workers = document["workers"].array.map { worker in
            Worker(id: worker["id"].string, pid: worker["pid"].int, status: worker["status"].string,
                   requests: worker["requests"].int, exceptions: worker["exceptions"].int,
                   averageMicros: worker["avg_rt"].int, rssBytes: worker["rss"].int, txBytes: worker["tx"].int,
                   respawns: worker["respawn_count"].int, harakiri: worker["harakiri_count"].int)
        }
        daemons = document["daemons"].array.map { ($0["cmd"].string, $0["pid"].int) }
        vassals = document["vassals"].isNull ? nil : document["vassals"].array.map { vassal in
            let state = vassal["state"].string
            return Vassal(id: vassal["id"].string, pid: vassal["pid"].int,
                          state: state.isEmpty ? (vassal["pid"].int > 0 ? "running" : "-") : state,
                          respawns: vassal["respawns"].int)
        }
    }

    public var busy: Int { workers.filter { $0.status == "busy" }.count }
    public var idle: Int { workers.filter { $0.status == "idle" }.count }
    public var requests: Int { workers.reduce(0) { $0 + $1.requests } }

    /// Requests per second of each worker (by id) since `previous`, `seconds` ago; a counter that went
    /// down (uWSGI counts per process; a respawn restarts it) counts from 0.
    public func rates(since previous: TopSample?, seconds: Double) -> [String: Double] {
        guard let previous, seconds > 0 else { return [:] }
        let before = Dictionary(previous.workers.map { ($0.id, $0.requests) }, uniquingKeysWith: { first, _ in first })
        var rates: [String: Double] = [:]
        for worker in workers {
            let base = before[worker.id] ?? worker.requests
            let delta = worker.requests >= base ? worker.requests - base : worker.requests
            rates[worker.id] = Double(delta) / seconds
        }
        return rates
    }
}
