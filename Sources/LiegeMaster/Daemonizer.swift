import LiegeConfig
import LiegeSystem

/// `daemonize = FILE` / `daemonize2 = FILE` (uWSGI's): the command returns at once while the master
/// goes on detached. Nothing is forked from this (possibly multithreaded) process: the same command is
/// started again with posix_spawn in a new session, stdin on /dev/null and its output on FILE, and marked
/// through the environment so it does not detach again. Under the emperor a vassal never detaches (the
/// emperor supervises its master); it only logs to the file.
enum Daemonizer {
    static let marker = "LIEGE_DAEMONIZED"

    /// The file to detach to, when the config asks for it.
    static func logFile(_ config: Config) -> String? {
        config[.daemonize2] ?? config[.daemonize]
    }

    /// nil: go on as the master (not asked, already detached, or under the emperor); else the exit
    /// status of this, the launching process.
    static func detachIfAsked(_ config: Config, facts: ProcessFacts) -> Int32? {
        guard let path = logFile(config), facts.environment[marker] == nil else { return nil }
        if facts.environment[EmperorContract.linkVariable] != nil {
            writeStandardError("notice: \"daemonize\" is ignored under the emperor (the vassal logs to \(path))\n")
            return nil
        }
        do {
            let fd = try Posix.openForAppend(path)
            defer { Posix.close(fd) }
            let environment = facts.environment.map { "\($0.key)=\($0.value)" } + ["\(marker)=1"]
            let pid = try Processes.spawn(executable: "/proc/self/exe", arguments: ["liege"] + config.arguments,
                                          environment: environment,
                                          fileActions: [.devNull(0), .duplicate(fd, to: 1), .duplicate(fd, to: 2)],
                                          newSession: true)
            writeStandardError("daemonized: master pid \(pid), logging to \(path)\n")
            return 0
        } catch {
            writeStandardError("cannot daemonize to \(path): \(error)\n")
            return 1
        }
    }
}
