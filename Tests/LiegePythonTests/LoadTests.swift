import Foundation
import Testing
@testable import LiegePython

@Suite struct LoadTests {
    private let hello = """
    def application(environ, start_response):
        start_response('200 OK', [])
        return [b'from application']

    def app(environ, start_response):
        start_response('200 OK', [])
        return [b'from app']

    def make():
        def made(environ, start_response):
            start_response('200 OK', [])
            return [b'made %d' % calls[0]]
        calls[0] += 1
        return made

    calls = [0]
    not_callable = 42
    """

    @Test func packageModuleWithCallable() throws {
        let package = PythonFixture.uniqueName("pkg")
        try PythonFixture.write("", to: package + "/__init__.py")
        try PythonFixture.write(hello, to: package + "/mod.py")
        let app = try WSGIApplication.load(module: package + ".mod:app", wsgiFile: nil, callable: "ignored")
        #expect(PythonFixture.run(app).1.sentText == "from app")
        let byName = try WSGIApplication.load(module: package + ".mod", wsgiFile: nil, callable: "application")
        #expect(PythonFixture.run(byName).1.sentText == "from application")
        let factory = try WSGIApplication.load(module: package + ".mod:make()", wsgiFile: nil, callable: "x")
        #expect(PythonFixture.run(factory).1.sentText == "made 1")
        #expect(PythonFixture.run(factory).1.sentText == "made 1")
    }

    @Test func wsgiFileWithCallable() throws {
        let path = try PythonFixture.write(hello, to: PythonFixture.uniqueName("file") + "/served.py")
        let app = try WSGIApplication.load(module: nil, wsgiFile: path, callable: "app")
        #expect(PythonFixture.run(app).1.sentText == "from app")
        let factory = try WSGIApplication.load(module: nil, wsgiFile: path, callable: "make()")
        #expect(PythonFixture.run(factory).1.sentText == "made 1")
    }

    @Test func importErrorCarriesTracebackWithTheModuleName() throws {
        let name = PythonFixture.uniqueName("broken")
        try PythonFixture.write("import a_module_that_does_not_exist_\(name)\n", to: name + ".py")
        do {
            _ = try WSGIApplication.load(module: name, wsgiFile: nil, callable: "application")
            Issue.record("loading a broken module succeeded")
        } catch {
            #expect(error.message.contains(name))
            #expect(error.message.contains("ModuleNotFoundError"))
            #expect(error.traceback.contains("Traceback (most recent call last)"))
            #expect(error.traceback.contains("a_module_that_does_not_exist_\(name)"))
        }
    }

    @Test func missingModuleMissingAttributeAndNotCallable() throws {
        let name = PythonFixture.uniqueName("mod")
        try PythonFixture.write(hello, to: name + ".py")
        #expect(throws: PythonError.self) { try WSGIApplication.load(module: "no_such_\(name)", wsgiFile: nil, callable: "a") }
        do {
            _ = try WSGIApplication.load(module: name + ":nope", wsgiFile: nil, callable: "application")
            Issue.record("missing attribute loaded")
        } catch {
            #expect(error.message.contains("AttributeError"))
        }
        do {
            _ = try WSGIApplication.load(module: name + ":not_callable", wsgiFile: nil, callable: "application")
            Issue.record("non-callable loaded")
        } catch {
            #expect(error.message.contains("not callable"))
        }
        #expect(throws: PythonError.self) { try WSGIApplication.load(module: nil, wsgiFile: "/nonexistent/x.py", callable: "a") }
    }

    @Test func retriedImportSeesAModuleCreatedAfterTheFailure() throws {
        _ = PythonFixture.initialised   // this test may be the process's first to reach Python
        let name = PythonFixture.uniqueName("late")
        #expect(throws: PythonError.self) { try WSGIApplication.load(module: name, wsgiFile: nil, callable: "application") }
        try hello.write(toFile: PythonFixture.directory + "/" + name + ".py", atomically: true, encoding: .utf8)
        let app = try WSGIApplication.load(module: name, wsgiFile: nil, callable: "application")
        #expect(PythonFixture.run(app).1.sentText == "from application")
    }

    @Test func syntaxErrorInWsgiFileIsReported() throws {
        let path = try PythonFixture.write("def application(:\n", to: PythonFixture.uniqueName("syntax") + ".py")
        do {
            _ = try WSGIApplication.load(module: nil, wsgiFile: path, callable: "application")
            Issue.record("syntax error loaded")
        } catch {
            #expect(error.message.contains("SyntaxError"))
            #expect(error.description.contains(path))
        }
    }
}

@Suite struct AppTargetTests {
    @Test func parsesTheForms() throws {
        #expect(try AppTarget.parse(module: "shop.wsgi:app", wsgiFile: nil, callable: "application")
            == AppTarget(source: .module("shop.wsgi"), attribute: ["app"], callAtLoad: false))
        #expect(try AppTarget.parse(module: "shop.wsgi", wsgiFile: "x.py", callable: "application")
            == AppTarget(source: .module("shop.wsgi"), attribute: ["application"], callAtLoad: false))
        #expect(try AppTarget.parse(module: "shop:create_app()", wsgiFile: nil, callable: "application")
            == AppTarget(source: .module("shop"), attribute: ["create_app"], callAtLoad: true))
        #expect(try AppTarget.parse(module: nil, wsgiFile: "/srv/app.py", callable: "make()")
            == AppTarget(source: .file("/srv/app.py"), attribute: ["make"], callAtLoad: true))
        #expect(try AppTarget.parse(module: "flaskapp:app.wsgi_app", wsgiFile: nil, callable: "x").attribute
            == ["app", "wsgi_app"])
        #expect(try AppTarget.parse(module: "a.b:c()", wsgiFile: nil, callable: "x").label == "a.b:c()")
    }

    @Test func rejectsBadInput() {
        #expect(throws: PythonError.self) { try AppTarget.parse(module: nil, wsgiFile: nil, callable: "application") }
        #expect(throws: PythonError.self) { try AppTarget.parse(module: ":app", wsgiFile: nil, callable: "x") }
        #expect(throws: PythonError.self) { try AppTarget.parse(module: "m:", wsgiFile: nil, callable: "x") }
        #expect(throws: PythonError.self) { try AppTarget.parse(module: "m:1abc", wsgiFile: nil, callable: "x") }
        #expect(throws: PythonError.self) { try AppTarget.parse(module: "m:a..b", wsgiFile: nil, callable: "x") }
    }
}
