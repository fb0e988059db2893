import LiegeSystem

/// The facts about the running process that configs can read (magic variables, `$(...)`, relative
/// paths). Injected so tests control them; `HostFacts.current(...)` asks the system.
public struct HostFacts: Sendable {
    public var environment: [String: String]
    public var workingDirectory: String
    public var hostname: String
    public var cpuCount: Int
    public var uid: Int
    public var userName: String
    public var gid: Int
    public var groupName: String
    /// Start time, microseconds since the epoch (`%t` = seconds, `%T` = microseconds).
    public var startMicroseconds: Int64
    public var binaryPath: String
    public var version: String

    public init(
        environment: [String: String], workingDirectory: String, hostname: String = "localhost",
        cpuCount: Int = 1, uid: Int = 1000, userName: String = "user", gid: Int = 1000,
        groupName: String = "user", startMicroseconds: Int64 = 0, binaryPath: String = "/usr/bin/liege",
        version: String = LiegeVersion.string
    ) {
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.hostname = hostname
        self.cpuCount = cpuCount
        self.uid = uid
        self.userName = userName
        self.gid = gid
        self.groupName = groupName
        self.startMicroseconds = startMicroseconds
        self.binaryPath = binaryPath
        self.version = version
    }

    /// The facts of this process (effective uid and gid).
    public static func current(environment: [String: String], workingDirectory: String) -> HostFacts {
        let uid = HostIdentity.effectiveUserID, gid = HostIdentity.effectiveGroupID
        return HostFacts(
            environment: environment, workingDirectory: workingDirectory, hostname: HostIdentity.hostName,
            cpuCount: HostIdentity.processorCount, uid: uid, userName: HostIdentity.userName(uid) ?? String(uid),
            gid: gid, groupName: HostIdentity.groupName(gid) ?? String(gid),
            startMicroseconds: wallClockMicroseconds(),
            binaryPath: HostIdentity.executablePath ?? CommandLine.arguments.first ?? "liege")
    }
}
