import LiegeConfig
import Testing
@testable import LiegeMaster

@Suite struct ControlChangesTests {
    func settings(_ arguments: [String]) throws -> MasterSettings {
        MasterSettings(try Config.load(arguments: ["--http-socket", ":8000"] + arguments, environment: [:],
                                       workingDirectory: "/tmp"))
    }

    func changes(_ old: [String], _ new: [String]) throws -> ControlChanges {
        ControlChanges(from: try settings(old), to: try settings(new))
    }

    @Test func theSameConfigChangesNothing() throws {
        let options = ["--touch-reload", "/tmp/a", "--master-fifo", "/tmp/f", "--pidfile", "/tmp/p", "--stats", ":9191",
                       "--uid", "65534", "--listen", "64"]
        let same = try changes(options, options)
        #expect(same.touchOptions.isEmpty)
        #expect(!same.masterFifo)
        #expect(same.newPidfiles.isEmpty && same.droppedPidfiles.isEmpty)
        #expect(same.statsEndpoints.isEmpty)
        #expect(same.needRestart.isEmpty)
    }

    @Test func touchFilesAddedRemovedOrChanged() throws {
        let added = try changes([], ["--touch-reload", "/tmp/a"])
        #expect(added.touchOptions == [.reload])
        let removed = try changes(["--touch-logreopen", "/tmp/a", "--touch-reload", "/tmp/r"], ["--touch-reload", "/tmp/r"])
        #expect(removed.touchOptions == [.logReopen])
        let another = try changes(["--touch-chain-reload", "/tmp/a"], ["--touch-chain-reload", "/tmp/a",
                                                                       "--touch-chain-reload", "/tmp/b",
                                                                       "--touch-workers-reload", "/tmp/w"])
        #expect(another.touchOptions == [.workersReload, .chainReload])
    }

    @Test func masterFifoMovesOnlyWhenItsPathDoes() throws {
        #expect(try changes(["--master-fifo", "/tmp/f"], ["--master-fifo", "/tmp/g"]).masterFifo)
        #expect(try changes([], ["--master-fifo", "/tmp/g"]).masterFifo)
        #expect(try changes(["--master-fifo", "/tmp/f"], []).masterFifo)
        #expect(try !changes(["--master-fifo", "/tmp/f"], ["--master-fifo", "/tmp/f", "--processes", "3"]).masterFifo)
    }

    @Test func pidfilesToWriteAndToRemove() throws {
        let moved = try changes(["--pidfile", "/tmp/a", "--pidfile2", "/tmp/b"], ["--pidfile", "/tmp/c", "--pidfile2", "/tmp/b"])
        #expect(moved.newPidfiles == ["/tmp/c"])
        #expect(moved.droppedPidfiles == ["/tmp/a"])
        // The same path moving from pidfile to pidfile2 is neither written again nor removed.
        let swapped = try changes(["--pidfile", "/tmp/a"], ["--pidfile2", "/tmp/a"])
        #expect(swapped.newPidfiles.isEmpty && swapped.droppedPidfiles.isEmpty)
        let dropped = try changes(["--safe-pidfile", "/tmp/a"], [])
        #expect(dropped.droppedPidfiles == ["/tmp/a"] && dropped.newPidfiles.isEmpty)
    }

    @Test func statsEndpointsByKind() throws {
        #expect(try changes(["--stats", ":9191"], ["--stats", ":9192"]).statsEndpoints == [.stats])
        #expect(try changes(["--stats", ":9191"], ["--stats", ":9191", "--stats-minified"]).statsEndpoints == [.stats])
        #expect(try changes(["--stats", ":9191"], ["--stats-server", ":9191"]).statsEndpoints.isEmpty)
        #expect(try changes([], ["--metrics", ":9100"]).statsEndpoints == [.metrics])
        #expect(try changes(["--metrics", ":9100", "--stats", ":1"], ["--stats", ":1"]).statsEndpoints == [.metrics])
    }

    @Test func optionsThatNeedARestartAreNamed() throws {
        let all = try changes([], ["--uid", "65534", "--gid", "65534", "--listen", "64", "--chmod-socket", "660",
                                   "--chown-socket", "65534"])
        #expect(all.needRestart == ["uid", "gid", "listen", "chmod-socket", "chown-socket"])
        #expect(try changes(["--uid", "65534"], []).needRestart == ["uid"])
        #expect(ControlChanges.restartNote("uid") == "reload: uid changed; it takes effect when the master restarts")
        #expect(ControlChanges.restartNote("listen").hasPrefix("reload: listen changed;"))
    }

    @Test func statsEndpointsAreReadFromTheConfig() throws {
        let endpoints = try settings(["--metrics", "127.0.0.1:9100", "--stats", "/tmp/s.sock", "--stats-http"]).statsEndpoints
        #expect(endpoints == [
            StatsEndpoint(kind: .stats, address: "/tmp/s.sock", http: true, minified: false),
            StatsEndpoint(kind: .metrics, address: "127.0.0.1:9100", http: true, minified: false),
        ])
        #expect(try settings([]).statsEndpoints.isEmpty)
    }
}
