import Testing
@testable import LiegeConfig

/// `hook-*` values (uWSGI's ACTION:ARGUMENTS forms).
@Suite struct HookLineTests {
    @Test func forms() {
        #expect(HookLine.parse("exec:python manage.py migrate --noinput") == .exec("python manage.py migrate --noinput"))
        #expect(HookLine.parse("call:sync") == .call(function: "sync", argument: nil))
        #expect(HookLine.parse("call:puts hello there") == .call(function: "puts", argument: "hello there"))
        #expect(HookLine.parse("print:starting") == .print("starting"))
        #expect(HookLine.parse("unix_signal:15 gracefully_kill_them_all") == .alreadyDefault)
        #expect(HookLine.parse("unix_signal:SIGTERM   gracefully_kill_them_all") == .alreadyDefault)
    }

    @Test func refusalsAreLocated() {
        let box = Sandbox()
        box.write("app.ini", """
        [uwsgi]
        hook-master-start = unix_signal:2 gracefully_kill_them_all
        hook-as-root = mount:proc none /proc
        hook-pre-app = exec:
        hook-post-app = nonsense
        exec-as-user = echo fine

        """)
        let errors = box.errors(["app.ini"])
        #expect(errors.count == 4, "\(errors)")
        #expect(errors[0].hasPrefix("app.ini:2: \"hook-master-start\" \"unix_signal:2 gracefully_kill_them_all\" cannot be honoured"))
        #expect(errors[1] == "app.ini:3: \"hook-as-root\" has the unknown hook action \"mount\" (Liege runs exec:, call:, print: and unix_signal:15 gracefully_kill_them_all)")
        #expect(errors[2] == "app.ini:4: \"hook-pre-app\" \"exec:\" needs a command")
        #expect(errors[3].hasPrefix("app.ini:5: \"hook-post-app\" expects ACTION:ARGUMENTS"))
    }
}
