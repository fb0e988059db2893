import LiegeConfig
import LiegeSystem

/// Request log lines, buffered off the hot path: written when the buffer fills or when the worker
/// thread is about to wait for the next connection, so a quiet worker's lines still appear at once.
/// The policy decides which requests get a line (`log-4xx`...) and where lines go (`req-logger`).
final class AccessLog {
    private let format: AccessLogFormat
    private let prefix: String
    let policy: RequestLogPolicy
    private let writers: [LogWriter]
    private var buffer: [UInt8] = []
    private let limit = 16384

    init(format: String, prefix: String, policy: RequestLogPolicy = RequestLogPolicy()) {
        self.format = AccessLogFormat(format, forwardedAddress: policy.forwardedAddress)
        self.prefix = prefix
        self.policy = policy
        // A req-logger that cannot be opened (its directory went away since the check) falls back to the log.
        writers = policy.destinations.compactMap { try? LogWriter($0) }
        buffer.reserveCapacity(limit + 512)
    }

    /// The request log a worker keeps: `log-format` and the request-log options of `config`.
    convenience init(config: Config, prefix: String = "") {
        self.init(format: config[.logFormat], prefix: prefix,
                  policy: RequestLogPolicy(config: config))
    }

    /// Logs a finished request if the policy wants it.
    func append(_ record: RequestRecord) {
        guard policy.logs(status: record.status, durationMicroseconds: record.durationMicroseconds,
                          bodyBytes: record.bodyBytes) else { return }
        buffer.append(contentsOf: prefix.utf8)
        if let memory = record.memory { buffer.append(contentsOf: memory.linePrefix.utf8) }
        buffer.append(contentsOf: format.render(record).utf8)
        buffer.append(10)
        if buffer.count >= limit { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        if writers.isEmpty {
            writeStandardError(bytes: buffer)
        } else {
            for writer in writers { writer.write(lines: buffer) }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
