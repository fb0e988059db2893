import Glibc

/// Shared memory between the master and its workers (memfd + mmap MAP_SHARED): a header and one
/// fixed-layout slot per worker (512 bytes: Int64 fields in the first 96, then the text of the request in flight,
/// then from byte 256 the per-request metrics of `ScoreboardSlot+Metrics.swift`), numbered 1...slotCount.
///
/// Single-writer rule: every field of a slot has exactly one writer process. The worker writes its own
/// slot (status, counters, times, RSS); the master writes only `pid`, `respawns` and `generation`
/// (while the slot's worker is starting) and resets a slot when it reaps its worker. Fields are aligned
/// Int64 stores and loads through the mapping, which x86-64 and arm64 perform untorn; no read-modify-write
/// from two processes ever touches the same field, so no atomics or locks are needed. Readers may see a
/// slot mid-update across fields (e.g. a new `requestStartMicros` before `status == busy`) and tolerate it.
public final class Scoreboard: @unchecked Sendable {
    /// The memfd (pass it to workers as fd 4).
    public let fd: Int32
    public let slotCount: Int
    private let base: UnsafeMutableRawPointer
    private let size: Int

    static let magic: Int64 = 0x4C49_4547_4553_4231   // "LIEGESB1"
    static let headerSize = 64
    static let slotSize = 512

    /// Creates the scoreboard (master side): a zeroed memfd of `slots` slots, mapped shared.
    public static func create(slots: Int) throws(SystemError) -> Scoreboard {
        precondition(slots > 0, "a scoreboard needs at least one slot")
        let size = headerSize + slots * slotSize
        let fd = try Posix.memfd(name: "liege-scoreboard", text: "")
        do {
            _ = try checked("ftruncate scoreboard") { ftruncate(fd, off_t(size)) }
            let mapped = try map(fd: fd, size: size)
            mapped.storeBytes(of: magic, as: Int64.self)
            mapped.storeBytes(of: Int64(slots), toByteOffset: 8, as: Int64.self)
            return Scoreboard(fd: fd, size: size, mapped: mapped)
        } catch {
            Posix.close(fd)
            throw error
        }
    }

    /// Maps the scoreboard the master passed (worker side, normally fd 4).
    public static func attach(fd: Int32) throws(SystemError) -> Scoreboard {
        let size = try Posix.fileInfo(fd).size
        guard size >= headerSize + slotSize else { throw SystemError(call: "scoreboard on fd \(fd) is too small", errno: EINVAL) }
        let mapped = try map(fd: fd, size: size)
        guard mapped.load(as: Int64.self) == magic,
              mapped.load(fromByteOffset: 8, as: Int64.self) == (size - headerSize) / slotSize else {
            munmap(mapped, size)
            throw SystemError(call: "fd \(fd) is not a liege scoreboard", errno: EINVAL)
        }
        return Scoreboard(fd: fd, size: size, mapped: mapped)
    }

    private static func map(fd: Int32, size: Int) throws(SystemError) -> UnsafeMutableRawPointer {
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            throw SystemError(call: "mmap scoreboard", errno: errno)
        }
        return mapped
    }

    private init(fd: Int32, size: Int, mapped: UnsafeMutableRawPointer) {
        self.fd = fd
        self.size = size
        self.base = mapped
        self.slotCount = Int(mapped.load(fromByteOffset: 8, as: Int64.self))
    }

    deinit {
        munmap(base, size)
    }

    /// Slot `id` (1...slotCount).
    public subscript(id: Int) -> ScoreboardSlot {
        precondition(id >= 1 && id <= slotCount, "scoreboard slot \(id) out of 1...\(slotCount)")
        return ScoreboardSlot(base: base + Scoreboard.headerSize + (id - 1) * Scoreboard.slotSize, owner: self)
    }

    /// Every slot, in order.
    public var slots: [ScoreboardSlot] { (1...slotCount).map { self[$0] } }
}

/// The state a worker is in, as its slot shows it.
public enum WorkerStatus: Int64, Sendable, CustomStringConvertible {
    case empty = 0, starting, ready, busy, stopping

    public var description: String {
        switch self {
        case .empty: return "empty"
        case .starting: return "starting"
        case .ready: return "ready"
        case .busy: return "busy"
        case .stopping: return "stopping"
        }
    }
}
