import LiegeConfig
import LiegeEmperor
import LiegeMaster
import LiegeSystem
import LiegeWorker

// Role dispatch. `liege worker ID NAME`, `liege preloader NAME` (lazy-apps = false) and `liege spooler ID NAME`
// are spawned by the master; the config tools answer and exit;
// `--emperor DIR` runs the emperor; anything else runs a master.
let arguments = Array(CommandLine.arguments.dropFirst())
let process = ProcessFacts.current

if arguments.first == "worker", arguments.count >= 2, let id = Int(arguments[1]) {
    exitProcess(Worker.run(id: id))
}
if arguments.first == "preloader", arguments.count == 2 {
    exitProcess(Preloader.run())
}
if arguments.first == "spooler", arguments.count >= 2, let id = Int(arguments[1]) {
    exitProcess(Spooler.run(id: id))
}
if arguments.first == "top" {
    exitProcess(LiegeTop.run(arguments: Array(arguments.dropFirst())))
}
if arguments.count == 2, let signal = ["--reload": UnixSignal.hangup, "--stop": UnixSignal.terminate][arguments[0]] {
    // `liege --reload PIDFILE` / `liege --stop PIDFILE` (SPEC.md §1.7).
    do {
        let pid = try PidfileSignal.send(signal, toPidfile: arguments[1])
        writeStandardError("sent \(signal) to \(pid)\n")
        exitProcess(0)
    } catch {
        writeStandardError("\(arguments[0]): \(error)\n")
        exitProcess(1)
    }
}
if let failure = TyrantIdentity.adoptFromEnvironment() {   // a vassal of a tyrant emperor: become its owner first
    writeStandardError(failure + "\n")
    exitProcess(1)
}
if CronPreview.handles(arguments) {
    exitProcess(CronPreview.run(arguments: arguments))
}
if ConfigCommand.handles(arguments) {
    exitProcess(ConfigCommand.run(arguments: arguments, environment: process.environment, workingDirectory: process.workingDirectory))
}
do {
    let config = try Config.load(arguments: arguments, environment: process.environment, workingDirectory: process.workingDirectory)
    exitProcess(Emperor.handles(config) ? Emperor.run(config: config) : Master.run(config: config))
} catch {
    writeStandardError(error.description + "\n")
    exitProcess(1)
}
