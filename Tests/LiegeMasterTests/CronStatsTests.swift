import LiegeConfig
import Testing
@testable import LiegeMaster

/// Cron fields shown in the stats JSON the way uWSGI numbers them.
@Suite struct CronStatsNumberTests {
    @Test func uwsgiNumbers() throws {
        let line = try CronLine.parse("-5 3 * 1-6 1,3 x").get()
        #expect([line.minute, line.hour, line.day, line.month, line.weekday].map(CronScheduler.number) == [-5, 3, -1, 1, 1])
    }
}
