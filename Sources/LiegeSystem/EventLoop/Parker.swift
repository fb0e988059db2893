import CSystem
import Glibc

/// Lets one thread sleep until another wakes it, with a sticky "woken" state so a wake that comes
/// before the wait is not lost. A wake or a wait costs a syscall only when the other thread really
/// sleeps (a futex word: 0 empty, 1 woken, 2 sleeping). One parker per waiting thread.
public final class Parker: @unchecked Sendable {
    private static let empty: UInt32 = 0
    private static let woken: UInt32 = 1
    private static let sleeping: UInt32 = 2

    private let word: UnsafeMutablePointer<UInt32>

    public init() {
        word = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
        word.initialize(to: Self.empty)
    }

    deinit {
        word.deallocate()
    }

    private var atomic: UnsafeAtomic {
        UnsafeAtomic(word)
    }

    /// Sleeps until `unpark` (returns at once if it came already).
    public func park() {
        _ = park(milliseconds: -1)
    }

    /// Like `park`, giving up after `milliseconds` (-1: never); true when woken.
    public func park(milliseconds: Int) -> Bool {
        let state = atomic
        if state.compareExchange(expected: Self.woken, desired: Self.empty) { return true }
        guard state.compareExchange(expected: Self.empty, desired: Self.sleeping) else {
            // Woken between the two exchanges.
            state.store(Self.empty)
            return true
        }
        while state.load() == Self.sleeping {
            let result = csystem_futex_wait(word, Self.sleeping, Int32(clamping: milliseconds))
            if result != 0, milliseconds >= 0 {
                // Timed out (or interrupted): withdraw, unless a wake arrived meanwhile.
                if state.compareExchange(expected: Self.sleeping, desired: Self.empty) { return false }
            }
        }
        state.store(Self.empty)
        return true
    }

    public func unpark() {
        if atomic.exchange(Self.woken) == Self.sleeping {
            _ = csystem_futex_wake(word, 1)
        }
    }
}

/// Gives the CPU to another runnable thread, if any (sched_yield).
public func yieldThread() {
    _ = sched_yield()
}

/// Sequentially consistent operations on the futex word (C atomics: the kernel reads the same word).
private struct UnsafeAtomic {
    let pointer: UnsafeMutablePointer<UInt32>

    init(_ pointer: UnsafeMutablePointer<UInt32>) {
        self.pointer = pointer
    }

    func compareExchange(expected: UInt32, desired: UInt32) -> Bool {
        csystem_atomic_cas_u32(pointer, expected, desired) != 0
    }

    func exchange(_ value: UInt32) -> UInt32 {
        csystem_atomic_exchange_u32(pointer, value)
    }

    func load() -> UInt32 {
        csystem_atomic_load_u32(pointer)
    }

    func store(_ value: UInt32) {
        csystem_atomic_store_u32(pointer, value)
    }
}
