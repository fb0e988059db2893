/// The arbiter's one call into daemons and cron at a reload that re-read the config (SPEC.md §5.1:
/// dumb daemons restart, with the new config; cron state and running jobs stay; spoolers start again).
extension Arbiter {
    func reloadAttached(_ generation: Generation) {
        let attached = AttachedSettings(generation.config, base: facts.environment)
        daemons.reload(with: attached)
        cron.update(attached)
        reloadSpoolers(generation)
    }
}
