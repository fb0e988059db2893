import Foundation
@testable import LiegeConfig

/// A temporary directory with config files, fixed host facts, and helpers to load from it.
final class Sandbox {
    let directory: String
    var host: HostFacts

    init(environment: [String: String] = [:]) {
        let base = FileManager.default.temporaryDirectory.path
        directory = base + "/liege-config-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        host = HostFacts(
            environment: environment, workingDirectory: directory, hostname: "box", cpuCount: 4, uid: 1001,
            userName: "alice", gid: 1002, groupName: "staff", startMicroseconds: 1_700_000_000_123_456,
            binaryPath: "/opt/liege/bin/liege", version: "0.1.0")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes `text` to `name` (relative to the sandbox; folders made as needed), returns the absolute path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = directory + "/" + name
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) {
        _ = FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes))
    }

    func load(_ arguments: [String]) -> ConfigLoader.Outcome {
        ConfigLoader(host: host).load(arguments)
    }

    /// The error lines of loading `arguments` (empty when it loads).
    func errors(_ arguments: [String]) -> [String] {
        load(arguments).errors.map(\.description)
    }

    /// The `--print-config` output of `arguments`, or the errors prefixed with "ERROR ".
    func printed(_ arguments: [String]) -> String {
        let outcome = load(arguments)
        guard let config = outcome.config else { return outcome.errors.map { "ERROR \($0)\n" }.joined() }
        return PrintedConfig.render(config)
    }

    /// The values of `option` after loading an INI body under `[uwsgi]` (or the errors, to show in failures).
    func values(ini body: String, _ option: String) -> [String] {
        write("app.ini", "[uwsgi]\n" + body)
        let outcome = load(["app.ini"])
        guard let config = outcome.config else { return outcome.errors.map { "ERROR \($0)" } }
        return config.entries.filter { $0.key == option }.map(\.value)
    }

    /// The errors of an INI body under `[uwsgi]` in app.ini.
    func errors(ini body: String) -> [String] {
        write("app.ini", "[uwsgi]\n" + body)
        return errors(["app.ini"])
    }
}
