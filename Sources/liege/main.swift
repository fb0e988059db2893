import LiegeConfig
import LiegeSystem

// Role dispatch: `liege worker ...` (spawned by the master), tools (--print-config, --check-config,
// --help, --version), else the master. The emperor arrives with its issue.
let arguments = Array(CommandLine.arguments.dropFirst())
Logger(name: "liege").info("liege starting with \(arguments.count) arguments")
