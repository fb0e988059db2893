import LiegeConfig
import LiegeSystem
import Testing
@testable import LiegeMaster

/// The four daemon options (SPEC.md §9) and what the master reads from them.
@Suite struct DaemonLineTests {
    func parse(_ option: String, _ value: String) throws -> DaemonLine {
        try DaemonLine.parse(option: option, value: value).get()
    }

    @Test func attachDaemon() throws {
        let line = try parse("attach-daemon", "  celery -A proj worker  ")
        #expect(line.command == "celery -A proj worker")
        #expect(line.kind == .foreground)
        #expect(line.stopSignal == 15)
        #expect(line.maxThrottle == 60)
        #expect(throws: CronSyntaxError.self) { try parse("attach-daemon", "  ") }
    }

    @Test func smartDaemons() throws {
        let smart = try parse("smart-attach-daemon", "/run/redis.pid redis-server --daemonize yes")
        #expect(smart.kind == .selfDaemonizing)
        #expect(smart.pidfile == "/run/redis.pid")
        #expect(smart.graceChecks == 10)
        #expect(smart.command == "redis-server --daemonize yes")
        let withChecks = try parse("smart-attach-daemon2", "/run/mc.pid,3 memcached -p 11222")
        #expect(withChecks.kind == .detached)
        #expect(withChecks.pidfile == "/run/mc.pid")
        #expect(withChecks.graceChecks == 3)
        #expect(throws: CronSyntaxError.self) { try parse("smart-attach-daemon", "/run/only-a-pidfile") }
    }

    @Test func attachDaemon2Keys() throws {
        let line = try parse("attach-daemon2", "cmd=celery worker --loglevel=info,-Q a,stopsignal=QUIT,reloadsignal=SIGHUP,"
            + "touch=/a;/b,stdin=1,uid=www-data,gid=33,chdir=/srv,max_throttle=5,freq=2,control=true")
        #expect(line.command == "celery worker --loglevel=info,-Q a")
        #expect(line.kind == .foreground)
        #expect(line.stopSignal == 3)
        #expect(line.reloadSignal == 1)
        #expect(line.touch == ["/a", "/b"])
        #expect(line.inheritStdin && line.control)
        #expect(line.uid == "www-data" && line.gid == "33" && line.chdir == "/srv")
        #expect(line.maxThrottle == 5 && line.frequency == 2)
        #expect(try parse("attach-daemon2", "cmd=x,pidfile=/p").kind == .selfDaemonizing)
        #expect(try parse("attach-daemon2", "cmd=x,pidfile=/p,daemonize=1,notifypid=1").kind == .detached)
        #expect(try parse("attach-daemon2", "cmd=x,pidfile=/p,daemonize=1,notifypid=1").notifyPid)
    }

    @Test(arguments: ["cmd=x,bogus=1", "pidfile=/p", "cmd=x,stopsignal=NOPE", "cmd=x,freq=0", "cmd=x,control=maybe", "oops"])
    func attachDaemon2Errors(value: String) {
        #expect(throws: CronSyntaxError.self) { try DaemonLine.parse(option: "attach-daemon2", value: value).get() }
    }

    @Test func loaderReportsBadLinesWithTheirLocation() throws {
        let errors = #expect(throws: ConfigErrors.self) {
            try Config.load(arguments: ["--http-socket", ":0", "--attach-daemon2", "cmd=x,nope=1", "--cron", "5 * * *",
                                        "--unique-cron", "0 24 * * * x", "--cron2", "minute=1,foo=2 x"],
                            environment: [:], workingDirectory: "/tmp")
        }
        let messages = errors?.errors.map(\.description) ?? []
        #expect(messages.count == 4)
        #expect(messages.first { $0.hasPrefix("command line: --attach-daemon2: invalid attach-daemon2 \"cmd=x,nope=1\": unknown key \"nope\"") } != nil)
        #expect(messages.contains("command line: --cron: invalid cron \"5 * * *\": 4 fields, expected MIN HOUR DAY MONTH WEEKDAY COMMAND"))
        #expect(messages.contains("command line: --unique-cron: invalid cron \"0 24 * * * x\": hour \"24\": out of range 0-23"))
        #expect(messages.first { $0.contains("--cron2: invalid cron \"minute=1,foo=2 x\": unknown key \"foo\"") } != nil)
    }

    @Test func settingsNumberDaemonsAndJobsInConfigOrder() throws {
        let config = try Config.load(arguments: [
            "--http-socket", ":0", "--smart-attach-daemon", "/p a", "--attach-daemon", "b", "--cron2", "minute=5 c",
            "--cron", "-1 -1 -1 -1 -1 echo $(date +%%s)", "--attach-daemon2", "cmd=d", "--unique-cron", "0 0 * * * e",
            "--env", "FOO=bar", "--chdir", "/srv",
        ], environment: ["PATH": "/bin"], workingDirectory: "/tmp")
        let settings = AttachedSettings(config, base: ["PATH": "/bin"])
        #expect(settings.daemons.map(\.command) == ["a", "b", "d"])
        #expect(settings.crons.map(\.command) == ["c", "echo $(date +%s)", "e"])   // $(...) left for the shell
        #expect(settings.crons.map(\.unique) == [false, false, true])
        #expect(settings.stopMercy == 10)
        #expect(settings.directory == "/srv")
        #expect(settings.environment == ["FOO=bar", "PATH=/bin"])
        let mercy = AttachedSettings(try Config.load(arguments: ["--reload-mercy", "3"], environment: [:], workingDirectory: "/tmp"))
        #expect(mercy.stopMercy == 3)
    }

    @Test func shellScriptChangesDirectoryFirst() {
        #expect(ShellLauncher.script("echo hi", directory: nil) == "echo hi")
        #expect(ShellLauncher.script("echo hi", directory: "/srv/it's") == "cd -- '/srv/it'\\''s' || exit 127\necho hi")
    }

    @Test func userSwitchGoesThroughSetprivWhenRoot() throws {
        let launcher = ShellLauncher(environment: [], directory: nil, uid: nil, gid: nil)
        #expect(try launcher.argv("x", directory: nil, uid: nil, gid: nil) == ["/bin/sh", "-c", "x"])
        let me = "\(Posix.effectiveUser.uid)"
        if Posix.effectiveUser.uid == 0 {
            #expect(try launcher.argv("x", directory: "/srv", uid: "0", gid: nil)
                == ["/usr/bin/setpriv", "--reuid=0", "--regid=0", "--init-groups", "--", "/bin/sh", "-c", "cd -- '/srv' || exit 127\nx"])
            #expect(try launcher.argv("x", directory: nil, uid: nil, gid: "0")
                == ["/usr/bin/setpriv", "--regid=0", "--clear-groups", "--", "/bin/sh", "-c", "x"])
        } else {
            #expect(try launcher.argv("x", directory: nil, uid: me, gid: nil) == ["/bin/sh", "-c", "x"])
            #expect(throws: SystemError.self) { try launcher.argv("x", directory: nil, uid: "0", gid: nil) }
        }
        #expect(throws: SystemError.self) { try launcher.argv("x", directory: nil, uid: "no-such-user-here", gid: nil) }
    }
}
