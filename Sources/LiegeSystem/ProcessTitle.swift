import CSystem
import Glibc

/// What `ps -o args` shows for this process: `liege master shop`.
public enum ProcessTitle {
    /// Overwrites the original argv strings in place (the memory /proc/PID/cmdline reads). When the title is
    /// longer than argv, the environment strings that follow argv are first copied away and their space
    /// used too; a title longer than both is cut. Also sets the 15-byte `comm` name. Call it early, before
    /// other threads read argv or the environment.
    public static func set(_ title: String) {
        let argc = Int(CommandLine.argc)
        let argv = CommandLine.unsafeArgv
        guard argc > 0, let first = argv[0] else { return }
        let start = UnsafeMutableRawPointer(first)
        var end = start
        for index in 0..<argc {
            guard let argument = argv[index], UnsafeMutableRawPointer(argument) == end else { break }
            end = UnsafeMutableRawPointer(argument) + strlen(argument) + 1
        }
        let argumentsSize = end - start
        let bytes = Array(title.utf8)
        if bytes.count + 1 > argumentsSize { end = claimEnvironment(after: end) }
        let capacity = end - start
        let count = min(bytes.count, capacity - 1)
        start.initializeMemory(as: UInt8.self, repeating: 0, count: capacity)
        for index in 0..<count { start.storeBytes(of: bytes[index], toByteOffset: index, as: UInt8.self) }
        // A short title leaves NULs up to the end of the old argv, and /proc/PID/cmdline would return them
        // all. With the last argv byte not NUL the kernel reads the title only up to its first NUL instead.
        if count + 1 < argumentsSize {
            start.advanced(by: count + 1).initializeMemory(as: UInt8.self, repeating: 0x20, count: argumentsSize - count - 1)
        }
        _ = csystem_set_thread_name(String(title.prefix(15)))
    }

    /// Moves the environment strings that sit right after `end` to the heap (repointing `environ`) and
    /// returns the new end of the space that is free to overwrite.
    private static func claimEnvironment(after end: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        var end = end
        var pointer = environ
        while let entry = pointer.pointee {
            guard UnsafeMutableRawPointer(entry) == end, let copy = strdup(entry) else { break }
            end = UnsafeMutableRawPointer(entry) + strlen(entry) + 1
            pointer.pointee = copy
            pointer += 1
        }
        return end
    }
}
