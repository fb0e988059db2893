import LiegeSystem
import Synchronization

/// How app threads (and the harakiri watchdog) reach the loop thread: channels posted here are
/// looked at on the loop's next turn. The eventfd is written only when the loop sleeps, so a busy
/// loop is not woken once per response.
final class LoopMailbox: Sendable {
    private let posted = Mutex<[ConnectionChannel]>([])
    private let sleeping = Atomic<Bool>(false)
    private let emergency = Atomic<Bool>(false)
    /// Something was posted without waking the loop.
    private let lazy = Atomic<Bool>(false)
    /// The loop waits for a request to end (it stopped accepting while busy, or is stopping): every
    /// completion wakes it.
    private let completionsAwaited = Atomic<Bool>(false)
    private let connectionsOpen = Atomic<Int>(0)
    let signal: EventSignal

    init() throws(SystemError) {
        signal = try EventSignal()
    }

    func post(_ channel: ConnectionChannel, urgent: Bool, wakeBeforeIdle: Bool = true) {
        posted.withLock { $0.append(channel) }
        if urgent {
            wake()
        } else if wakeBeforeIdle {
            self.wakeBeforeIdle()
        }
    }

    /// The posting thread wakes the loop (`wakeIfPosted`) before it waits for work.
    func wakeBeforeIdle() {
        lazy.store(true, ordering: .sequentiallyConsistent)
    }

    /// App thread, before it waits for work or every few requests: wakes the loop for what it posted lazily.
    func wakeIfPosted() {
        if lazy.exchange(false, ordering: .sequentiallyConsistent) { wake() }
    }

    /// The loop's open connections (published as they change; read by harakiri's ASGI watchdog).
    var openConnections: Int {
        get { connectionsOpen.load(ordering: .relaxed) }
        set { connectionsOpen.store(newValue, ordering: .relaxed) }
    }

    var awaitsCompletions: Bool {
        get { completionsAwaited.load(ordering: .relaxed) }
        set { completionsAwaited.store(newValue, ordering: .sequentiallyConsistent) }
    }

    /// Harakiri: the loop answers what it holds and lets the process end.
    func postEmergency() {
        emergency.store(true, ordering: .sequentiallyConsistent)
        wake()
    }

    var emergencyRequested: Bool { emergency.load(ordering: .sequentiallyConsistent) }

    func wake() {
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { signal.signal() }
    }

    /// Loop: everything posted since the last call.
    func take() -> [ConnectionChannel] {
        posted.withLock { list in
            guard !list.isEmpty else { return [] }
            let taken = list
            list.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Loop, before waiting: announces the sleep; false when something arrived meanwhile (do not sleep).
    func prepareToSleep() -> Bool {
        sleeping.store(true, ordering: .sequentiallyConsistent)
        if posted.withLock({ !$0.isEmpty }) || emergencyRequested {
            sleeping.store(false, ordering: .sequentiallyConsistent)
            return false
        }
        return true
    }

    /// Loop, after waking.
    func awake() {
        sleeping.store(false, ordering: .sequentiallyConsistent)
    }
}
