import LiegeConfig
import LiegeMaster
import LiegeSystem
import LiegeWorker

// Role dispatch. `liege worker ID NAME` is spawned by the master; the config tools answer and exit;
// anything else runs a master. The emperor arrives with its issue.
let arguments = Array(CommandLine.arguments.dropFirst())
let process = ProcessFacts.current

if arguments.first == "worker", arguments.count >= 2, let id = Int(arguments[1]) {
    exitProcess(Worker.run(id: id))
}
if arguments.first == "top" {
    exitProcess(LiegeTop.run(arguments: Array(arguments.dropFirst())))
}
if ConfigCommand.handles(arguments) {
    exitProcess(ConfigCommand.run(arguments: arguments, environment: process.environment, workingDirectory: process.workingDirectory))
}
do {
    let config = try Config.load(arguments: arguments, environment: process.environment, workingDirectory: process.workingDirectory)
    exitProcess(Master.run(config: config))
} catch {
    writeStandardError(error.description + "\n")
    exitProcess(1)
}
