/// One worker's slot in the `Scoreboard`: a view on Int64 fields of shared memory plus a short text.
/// Times are `monotonicMicroseconds()` (CLOCK_MONOTONIC is the same clock in every process).
public struct ScoreboardSlot: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let owner: Scoreboard   // keeps the mapping alive

    private enum Field: Int {
        case pid = 0, status, requests, requestStartMicros, lastRequestEndMicros, rssKB, exceptions, respawns,
             generation, spawnedMicros, requestTextLength, load
    }

    /// Where the request text's bytes start, and how many fit (the rest of the slot).
    private static let requestTextOffset = 96
    static let requestTextCapacity = 160

    private func load(_ field: Field) -> Int64 {
        base.load(fromByteOffset: field.rawValue * 8, as: Int64.self)
    }

    private func store(_ field: Field, _ value: Int64) {
        base.storeBytes(of: value, toByteOffset: field.rawValue * 8, as: Int64.self)
    }

    /// Written by the master at spawn (0 = no process).
    public var pid: Int32 {
        get { Int32(truncatingIfNeeded: load(.pid)) }
        nonmutating set { store(.pid, Int64(newValue)) }
    }

    /// Written by the worker (the master sets `.starting` at spawn and `.empty` after reaping).
    public var status: WorkerStatus {
        get { WorkerStatus(rawValue: load(.status)) ?? .empty }
        nonmutating set { store(.status, newValue.rawValue) }
    }

    /// Responses completed by the current worker process.
    public var requests: Int {
        get { Int(load(.requests)) }
        nonmutating set { store(.requests, Int64(newValue)) }
    }

    /// When the request in flight started; 0 = idle.
    public var requestStartMicros: Int64 {
        get { load(.requestStartMicros) }
        nonmutating set { store(.requestStartMicros, newValue) }
    }

    /// When the last request ended; 0 = none yet.
    public var lastRequestEndMicros: Int64 {
        get { load(.lastRequestEndMicros) }
        nonmutating set { store(.lastRequestEndMicros, newValue) }
    }

    /// Resident set size in KB, as the worker last measured it.
    public var rssKB: Int {
        get { Int(load(.rssKB)) }
        nonmutating set { store(.rssKB, Int64(newValue)) }
    }

    /// Requests that ended with an exception in the app.
    public var exceptions: Int {
        get { Int(load(.exceptions)) }
        nonmutating set { store(.exceptions, Int64(newValue)) }
    }

    /// Written by the master: how many times this slot's worker was respawned.
    public var respawns: Int {
        get { Int(load(.respawns)) }
        nonmutating set { store(.respawns, Int64(newValue)) }
    }

    /// Written by the master: the config generation (reload count) the worker was spawned with.
    public var generation: Int {
        get { Int(load(.generation)) }
        nonmutating set { store(.generation, Int64(newValue)) }
    }

    /// Written by the master: when it spawned the current worker.
    public var spawnedMicros: Int64 {
        get { load(.spawnedMicros) }
        nonmutating set { store(.spawnedMicros, newValue) }
    }

    /// Written by the worker's loop: its open connections (plus a flag while it does not accept), which
    /// the other workers of the vassal compare with their own before accepting a connection.
    public var load: Int {
        get { Int(load(.load)) }
        nonmutating set { store(.load, Int64(newValue)) }
    }

    /// Written by the worker: what the request in flight is (`GET /path`), cut to 160 bytes, for the
    /// master's stats and harakiri log lines. A reader racing a write may see a mix of two texts.
    public var currentRequest: String {
        get {
            let count = max(0, min(Int(load(.requestTextLength)), Self.requestTextCapacity))
            let bytes = UnsafeRawBufferPointer(start: base + Self.requestTextOffset, count: count)
            return String(decoding: bytes, as: UTF8.self)
        }
        nonmutating set {
            let bytes = Array(newValue.utf8.prefix(Self.requestTextCapacity))
            store(.requestTextLength, 0)
            for (index, byte) in bytes.enumerated() {
                base.storeBytes(of: byte, toByteOffset: Self.requestTextOffset + index, as: UInt8.self)
            }
            store(.requestTextLength, Int64(bytes.count))
        }
    }

    /// Worker, when a request starts: `busy`, with its start time and (optionally) its text.
    public func beginRequest(now: Int64 = monotonicMicroseconds(), request: String? = nil) {
        if let request { currentRequest = request }
        requestStartMicros = now
        status = .busy
    }

    /// Worker, when a response is done: one more request, idle again (`ready`, or `stopping` if asked).
    public func endRequest(now: Int64 = monotonicMicroseconds(), failed: Bool = false) {
        requests += 1
        if failed { exceptions += 1 }
        lastRequestEndMicros = now
        requestStartMicros = 0
        if status == .busy { status = .ready }
    }

    /// Master, after reaping: clears the per-process fields (keeps `respawns` and `generation`).
    public func resetForNewProcess() {
        for field in [Field.pid, .status, .requests, .requestStartMicros, .lastRequestEndMicros, .rssKB, .exceptions,
                      .spawnedMicros, .requestTextLength, .load] {
            store(field, 0)
        }
    }
}
