import LiegeSystem

/// Request log lines, buffered off the hot path: written when the buffer fills or when the worker
/// thread is about to wait for the next connection, so a quiet worker's lines still appear at once.
final class AccessLog {
    private let format: AccessLogFormat
    private let prefix: String
    private var buffer: [UInt8] = []
    private let limit = 16384

    init(format: String, prefix: String) {
        self.format = AccessLogFormat(format)
        self.prefix = prefix
        buffer.reserveCapacity(limit + 512)
    }

    func append(_ record: RequestRecord) {
        buffer.append(contentsOf: prefix.utf8)
        buffer.append(contentsOf: format.render(record).utf8)
        buffer.append(10)
        if buffer.count >= limit { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        writeStandardError(bytes: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
