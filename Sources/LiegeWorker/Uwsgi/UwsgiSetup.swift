import LiegeConfig
import LiegePython
import LiegeSystem

/// Makes `import uwsgi` work in this process: the facts from the config and the master's environment
/// (`LIEGE_MASTER_PID`, `LIEGE_STARTED_ON`), the services over the shared regions. Called before Python
/// starts and before `chdir`, so relative spooler directories are taken from the master's directory.
enum UwsgiSetup {
    static func publish(_ config: Config, role: UwsgiFacts.Role, spoolWatch: SpoolWatch? = nil) {
        let process = ProcessFacts.current
        let environment = process.environment
        let settings = UwsgiAPISettings(config)
        let facts = UwsgiFacts(
            options: config.entries.map { ($0.key, $0.value) }, processes: settings.processes, threads: settings.threads,
            bufferSize: settings.bufferSize, masterPID: environment[WorkerContract.masterPIDVariable].flatMap { Int32($0) } ?? 0,
            startedOn: environment[WorkerContract.startedOnVariable].flatMap { Int($0) } ?? 0,
            spoolers: settings.spooler.resolved(against: process.workingDirectory), hostname: HostIdentity.hostName,
            version: LiegeVersion.string, role: role)
        UwsgiRuntime.provide(facts, services: UwsgiHost(environment: environment, spoolWatch: spoolWatch))
    }
}
