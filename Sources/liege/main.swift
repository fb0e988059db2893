import LiegeConfig
import LiegeEmperor
import LiegeMaster
import LiegeSystem
import LiegeWorker

// Role dispatch. `liege worker ID NAME` is spawned by the master; the config tools answer and exit;
// `--emperor DIR` runs the emperor; anything else runs a master.
let arguments = Array(CommandLine.arguments.dropFirst())
let process = ProcessFacts.current

if arguments.first == "worker", arguments.count >= 2, let id = Int(arguments[1]) {
    exitProcess(Worker.run(id: id))
}
if arguments.first == "top" {
    exitProcess(LiegeTop.run(arguments: Array(arguments.dropFirst())))
}
if let failure = TyrantIdentity.adoptFromEnvironment() {   // a vassal of a tyrant emperor: become its owner first
    writeStandardError(failure + "\n")
    exitProcess(1)
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
