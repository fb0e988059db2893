import LiegeSystem

/// The body of one request while the loop reads it whole (`post-buffering = LIMIT`), as uWSGI does: a
/// body announced at LIMIT bytes or more goes to a temporary file from the start, a smaller one stays in
/// memory; a chunked body (length unknown) moves to a file once it grows past LIMIT. The job waits here
/// until the body is complete.
final class PostBuffer {
    let job: RequestJob
    private let limit: Int
    private var memory: [UInt8] = []
    private var file: TemporaryFile?

    /// Throws when the temporary file cannot be created.
    init(job: RequestJob, limit: Int, announcedLength: Int?) throws(SystemError) {
        self.job = job
        self.limit = limit
        if let announcedLength, announcedLength >= limit {
            file = try TemporaryFile()
        } else {
            memory.reserveCapacity(min(announcedLength ?? 0, limit))
        }
    }

    var count: Int { file?.size ?? memory.count }

    /// Adds decoded body bytes. Throws when the file cannot be created or written (disk full).
    func append(_ bytes: [UInt8]) throws(SystemError) {
        guard !bytes.isEmpty else { return }
        if file == nil, memory.count + bytes.count > limit {
            let spilled = try TemporaryFile()
            try spilled.append(memory)
            memory = []
            file = spilled
        }
        if let file {
            try file.append(bytes)
        } else {
            memory.append(contentsOf: bytes)
        }
    }

    /// The whole body, for the app thread.
    func finish() -> BufferedBody {
        if let file { return BufferedBody(.file(file)) }
        return BufferedBody(.memory(memory))
    }
}
