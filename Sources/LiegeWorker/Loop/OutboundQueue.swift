import LiegeSystem

/// The bytes (and file ranges) a connection still has to send, in order. Sans-I/O except `flush`,
/// which moves as much as the socket takes without waiting.
struct OutboundQueue {
    enum Segment {
        case bytes([UInt8], sent: Int)
        /// An open file (our own descriptor, closed once sent or dropped) from `offset`.
        case file(fd: Int32, offset: Int, remaining: Int)
    }

    enum FlushResult: Equatable {
        /// Everything went out.
        case drained
        /// The socket is full: wait until it is writable.
        case blocked
        /// The peer is gone (or the file could not be read): nothing more can be sent.
        case broken
    }

    private(set) var segments: [Segment] = []
    /// Bytes in memory not yet sent (files not counted): what backpressure looks at.
    private(set) var bufferedBytes = 0
    /// A drained byte buffer kept for the next response (no allocation per response).
    private var spare: [UInt8] = []

    var isEmpty: Bool { segments.isEmpty }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        bufferedBytes += bytes.count
        if let last = segments.indices.last, case .bytes(var buffer, let sent) = segments[last] {
            segments[last] = .bytes([], sent: 0)   // keep the buffer uniquely referenced while appending
            buffer.append(contentsOf: bytes)
            segments[last] = .bytes(buffer, sent: sent)
            return
        }
        var buffer = spare
        spare = []
        buffer.append(contentsOf: bytes)
        segments.append(.bytes(buffer, sent: 0))
    }

    /// Queues `count` bytes of `fd` from `offset`; takes ownership of `fd`.
    mutating func appendFile(fd: Int32, offset: Int, count: Int) {
        guard count > 0 else {
            Posix.close(fd)
            return
        }
        segments.append(.file(fd: fd, offset: offset, remaining: count))
    }

    /// Sends what the socket takes now.
    mutating func flush(to socket: Int32) -> FlushResult {
        while let first = segments.first {
            switch first {
            case .bytes:
                switch writeByteSegments(socket) {
                case .drained: continue
                case let other: return other
                }
            case .file(let fd, let offset, let remaining):
                switch SocketIO.sendFile(socket, file: fd, offset: offset, count: min(remaining, 1 << 20)) {
                case .done(let sent) where sent > 0:
                    if sent == remaining {
                        Posix.close(fd)
                        segments.removeFirst()
                    } else {
                        segments[0] = .file(fd: fd, offset: offset + sent, remaining: remaining - sent)
                    }
                case .wouldBlock:
                    return .blocked
                case .done, .closed, .failed:
                    return .broken   // the file shrank, or the peer went away
                }
            }
        }
        return .drained
    }

    /// Writes the leading byte segments with one sendmsg; `.drained` when they all went.
    private mutating func writeByteSegments(_ socket: Int32) -> FlushResult {
        if segments.count == 1 || !isBytes(segments[1]), case .bytes(let buffer, let sent) = segments[0] {
            return writeSingle(buffer, sent: sent, socket)
        }
        var count = 0
        var buffers: [[UInt8]] = []
        var offsets: [Int] = []
        for segment in segments {
            guard case .bytes(let buffer, let sent) = segment else { break }
            buffers.append(buffer)
            offsets.append(sent)
            count += 1
            if count == 16 { break }
        }
        let result = withBuffers(buffers, offsets) { SocketIO.write(socket, $0) }
        switch result {
        case .done(var written):
            bufferedBytes -= written
            var index = 0
            while written > 0, index < count {
                let left = buffers[index].count - offsets[index]
                if written >= left {
                    written -= left
                    index += 1
                } else {
                    segments[index] = .bytes(buffers[index], sent: offsets[index] + written)
                    written = 0
                }
            }
            if index > 0 {
                let finished = buffers[index - 1]
                segments.removeFirst(index)
                if spare.capacity == 0, finished.capacity <= 1 << 16 {
                    spare = finished
                    spare.removeAll(keepingCapacity: true)
                }
            }
            return index == count ? .drained : .blocked
        case .wouldBlock:
            return .blocked
        case .closed, .failed:
            return .broken
        }
    }

    private func isBytes(_ segment: Segment) -> Bool {
        if case .bytes = segment { return true }
        return false
    }

    /// The common case: one buffer (a whole small response) in one send.
    private mutating func writeSingle(_ buffer: [UInt8], sent: Int, _ socket: Int32) -> FlushResult {
        let result = buffer.withUnsafeBytes { SocketIO.write(socket, UnsafeRawBufferPointer(rebasing: $0[sent...])) }
        switch result {
        case .done(let written):
            bufferedBytes -= written
            guard sent + written == buffer.count else {
                segments[0] = .bytes(buffer, sent: sent + written)
                return .blocked
            }
            segments.removeFirst()
            if spare.capacity == 0, buffer.capacity <= 1 << 16 {
                spare = buffer
                spare.removeAll(keepingCapacity: true)
            }
            return .drained
        case .wouldBlock:
            return .blocked
        case .closed, .failed:
            return .broken
        }
    }

    private func withBuffers(_ buffers: [[UInt8]], _ offsets: [Int], _ body: ([UnsafeRawBufferPointer]) -> IOResult) -> IOResult {
        var pointers: [UnsafeRawBufferPointer] = []
        pointers.reserveCapacity(buffers.count)
        func nest(_ index: Int) -> IOResult {
            guard index < buffers.count else { return body(pointers) }
            return buffers[index].withUnsafeBytes { raw in
                pointers.append(UnsafeRawBufferPointer(rebasing: raw[offsets[index]...]))
                return nest(index + 1)
            }
        }
        return nest(0)
    }

    /// Drops everything unsent (the connection is gone), closing queued files.
    mutating func discard() {
        for case .file(let fd, _, _) in segments { Posix.close(fd) }
        segments.removeAll()
        bufferedBytes = 0
    }
}
