import LiegeSystem
import Testing
@testable import LiegeConfig

/// `logger`, `req-logger` and `log-route` values (uWSGI's forms).
@Suite struct LoggerLineTests {
    @Test func forms() {
        #expect(LoggerLine.parse("file:/var/log/a.log") == LoggerLine(name: nil, destination: .file("/var/log/a.log")))
        #expect(LoggerLine.parse("stdio") == LoggerLine(name: nil, destination: .stdio))
        #expect(LoggerLine.parse("syslog", defaultIdent: "shop") == LoggerLine(name: nil, destination: .syslog(ident: "shop", facility: 8)))
        #expect(LoggerLine.parse("syslog:web,local3") == LoggerLine(name: nil, destination: .syslog(ident: "web", facility: 19 << 3)))
        #expect(LoggerLine.parse("errors file:/tmp/e.log") == LoggerLine(name: "errors", destination: .file("/tmp/e.log")))
        #expect(LoggerLine.parse("out  stdio") == LoggerLine(name: "out", destination: .stdio))
    }

    @Test func refusals() {
        #expect(LoggerLine.parse("file:") == nil)
        #expect(LoggerLine.parse("syslog:web,kitchen") == nil)
        #expect(LoggerLine.parse("redislog:127.0.0.1:6379") == nil)
        #expect(LoggerLine.parseRoute("errors (unclosed") == nil)
        #expect(LoggerLine.parseRoute("errors") == nil)
        #expect(LoggerLine.parseRoute("errors  HTTP/1.\\d\" 5") == LogRoute(logger: "errors", pattern: "HTTP/1.\\d\" 5"))
    }

    @Test func locatedErrors() {
        let box = Sandbox()
        box.write("app.ini", """
        [uwsgi]
        logger = zeromq:tcp://127.0.0.1:9191
        req-logger = syslog:x,nowhere
        logger = slow file:/tmp/slow.log
        log-route = slow [unclosed
        log-route = missing ERROR

        """)
        let errors = box.errors(["app.ini"])
        #expect(errors.count == 4, "\(errors)")
        #expect(errors[0].hasPrefix("app.ini:2: \"logger\" logger \"zeromq:tcp://127.0.0.1:9191\" is not available"))
        #expect(errors[1].hasPrefix("app.ini:3: \"req-logger\" unknown syslog facility \"nowhere\""))
        #expect(errors[2] == "app.ini:5: \"log-route\" has a regular expression that does not compile: \"[unclosed\"")
        #expect(errors[3] == "app.ini:6: \"log-route\" names logger \"missing\", but no \"logger = missing ...\" defines it")
    }
}
