/// Per-request metrics in the second half of a slot (bytes 256..<512), for the stats server and `/metrics`.
///
/// Written only by the slot's worker (under the lock it already holds around its slot updates), read by the
/// master. Unlike the fields above they are NOT cleared when the master reaps the worker: they count every
/// response the slot ever served since the master started, so Prometheus counters only go up.
/// Each response costs four plain load+store pairs and a short bucket search: no lock, no syscall.
extension ScoreboardSlot {
    /// Upper bounds (µs) of the request duration histogram buckets; one more bucket counts the rest (+Inf).
    public static let durationBucketBoundsMicros: [Int64] = [
        5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000,
    ]

    /// Response status classes counted: 1xx...5xx (anything else is counted with 5xx).
    public static let statusClassCount = 5

    private static let metricsOffset = 256
    private static let statusClassesOffset = metricsOffset                         // 5 counters
    private static let durationSumOffset = statusClassesOffset + 8 * statusClassCount
    private static let bytesSentOffset = durationSumOffset + 8
    private static let bucketsOffset = bytesSentOffset + 8                           // bounds.count + 1 counters

    private func loadMetric(_ offset: Int) -> Int64 {
        base.load(fromByteOffset: offset, as: Int64.self)
    }

    private func addMetric(_ offset: Int, _ amount: Int64) {
        base.storeBytes(of: base.load(fromByteOffset: offset, as: Int64.self) &+ amount, toByteOffset: offset, as: Int64.self)
    }

    /// Worker, after each response: counts it by status class, duration bucket, and bytes sent.
    public func recordResponse(status: Int, durationMicros: Int64, bytesSent: Int) {
        let statusClass = min(max(status / 100, 1), 5) - 1
        addMetric(Self.statusClassesOffset + 8 * statusClass, 1)
        let duration = max(0, durationMicros)
        addMetric(Self.durationSumOffset, duration)
        addMetric(Self.bytesSentOffset, Int64(max(0, bytesSent)))
        var bucket = 0
        let bounds = Self.durationBucketBoundsMicros
        while bucket < bounds.count, duration > bounds[bucket] { bucket += 1 }
        addMetric(Self.bucketsOffset + 8 * bucket, 1)
    }

    /// Responses served by this slot since the master started, by status class (index 0 = 1xx ... 4 = 5xx).
    public var responsesByStatusClass: [Int] {
        (0..<Self.statusClassCount).map { Int(loadMetric(Self.statusClassesOffset + 8 * $0)) }
    }

    /// Every response counted by `recordResponse`.
    public var responsesTotal: Int { responsesByStatusClass.reduce(0, +) }

    /// Sum of the response durations (µs).
    public var durationSumMicros: Int64 { loadMetric(Self.durationSumOffset) }

    /// Bytes sent (head and body) in responses.
    public var bytesSent: Int { Int(loadMetric(Self.bytesSentOffset)) }

    /// Responses per duration bucket, not cumulative; the last entry is the +Inf bucket.
    public var durationBucketCounts: [Int] {
        (0...Self.durationBucketBoundsMicros.count).map { Int(loadMetric(Self.bucketsOffset + 8 * $0)) }
    }
}

/// A copy of a slot's per-request metrics that can be added up (across generations of scoreboards).
public struct ResponseCounters: Sendable, Equatable {
    /// By status class, 1xx first.
    public var byStatusClass = [Int](repeating: 0, count: ScoreboardSlot.statusClassCount)
    /// Per duration bucket (not cumulative), +Inf last.
    public var durationBuckets = [Int](repeating: 0, count: ScoreboardSlot.durationBucketBoundsMicros.count + 1)
    public var durationSumMicros: Int64 = 0
    public var bytesSent = 0

    public init() {}

    public init(_ slot: ScoreboardSlot) {
        byStatusClass = slot.responsesByStatusClass
        durationBuckets = slot.durationBucketCounts
        durationSumMicros = slot.durationSumMicros
        bytesSent = slot.bytesSent
    }

    public var responses: Int { byStatusClass.reduce(0, +) }

    public static func + (lhs: ResponseCounters, rhs: ResponseCounters) -> ResponseCounters {
        var sum = lhs
        sum.byStatusClass = zip(lhs.byStatusClass, rhs.byStatusClass).map(+)
        sum.durationBuckets = zip(lhs.durationBuckets, rhs.durationBuckets).map(+)
        sum.durationSumMicros += rhs.durationSumMicros
        sum.bytesSent += rhs.bytesSent
        return sum
    }
}
