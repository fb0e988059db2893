import LiegeConfig
import LiegeSystem

/// The arbiter's calls into its spoolers: started from the current generation, reloaded with a re-read config.
extension Arbiter {
    func tickSpoolers() {
        let generation = current
        let launcher = launcher
        spoolers.tick(now: monotonicMicroseconds()) { (id, directory) throws(SystemError) in
            try launcher.launchSpooler(id: id, directory: directory, generation: generation)
        }
    }

    func reloadSpoolers(_ generation: Generation) {
        let settings = UwsgiAPISettings(generation.config).spooler
        if let failure = SpoolerSupervisor.prepareDirectories(settings, workingDirectory: facts.workingDirectory) {
            log.error("reload: \(failure)")
        }
        spoolers.reload(settings: settings, workingDirectory: facts.workingDirectory, mercy: generation.settings.reloadMercy,
                        now: monotonicMicroseconds())
    }
}
