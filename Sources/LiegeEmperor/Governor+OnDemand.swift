import Dispatch
import LiegeSystem

/// Socket activation (SPEC.md §12.5): the emperor binds the vassal's socket and starts the vassal only
/// when a connection waits on it; the master inherits the socket, so that first connection is served.
extension Governor {
    /// The vassal's on-demand address by the configured rule; nil when it has none (logged by the caller).
    func onDemandAddress(_ file: VassalFile) -> String? {
        switch settings.onDemand {
        case .directory(let directory):
            return directory + "/" + file.name + ".socket"
        case .extension(let ext):
            guard let bytes = try? Posix.readFile(file.path + ext) else { return nil }
            return Self.firstLine(bytes)
        case .exec(let command):
            return CommandOutput.firstLine(of: command, argument: file.path, environment: environment)
        case nil:
            return nil
        }
    }

    static func firstLine(_ bytes: [UInt8]) -> String? {
        let line = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? []
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: " \t\r")
        return text.isEmpty ? nil : text
    }

    /// Binds the vassal's socket (once) and waits for a connection on it.
    func waitOnDemand(_ name: String) {
        guard let record = vassals[name] else { return }
        if record.onDemandSocket == nil {
            guard let text = onDemandAddress(record.file), let address = ListenAddress(parsing: text) else {
                log.error("vassal \(record.name): no usable on-demand address; not started")
                vassals[name]?.state = .invalid
                vassals[name]?.error = "no usable on-demand address"
                return
            }
            do {
                vassals[name]?.onDemandSocket = try ListeningSocket.bind(address, backlog: 1024)
            } catch {
                log.error("vassal \(record.name): cannot bind on-demand socket \(text): \(error); not started")
                vassals[name]?.state = .invalid
                vassals[name]?.error = "\(error)"
                return
            }
            log.info("vassal \(record.name) waits on demand on \(text)")
        }
        vassals[name]?.state = .onDemand
        watchOnDemand(name)
    }

    func watchOnDemand(_ name: String) {
        guard let socket = vassals[name]?.onDemandSocket, onDemandSources[name] == nil else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: queue)
        source.setEventHandler { [self] in onDemandConnection(name) }
        source.resume()
        onDemandSources[name] = source
    }

    private func onDemandConnection(_ name: String) {
        // Stop watching while the vassal runs: its workers accept on the same socket.
        onDemandSources[name]?.cancel()
        onDemandSources[name] = nil
        guard phase == .running, let record = vassals[name], record.state == .onDemand, !record.isAlive else { return }
        guard let valid = validate(name, consequence: "not started") else {
            vassals[name]?.state = .invalid
            return
        }
        launch(name, validated: valid, reason: "first connection")
        tick()
    }

    /// Closes the vassal's on-demand socket (removing its unix socket file), then runs `next`. A socket
    /// still watched is closed by the read source's cancel handler, as Dispatch requires, which runs after
    /// this turn of the loop: `next` runs there, once the address is free (binding it again before would
    /// find the TCP port taken).
    func closeOnDemand(_ name: String, then next: (@Sendable () -> Void)? = nil) {
        let source = onDemandSources[name]
        onDemandSources[name] = nil
        guard let socket = vassals[name]?.onDemandSocket else {
            source?.cancel()
            next?()
            return
        }
        vassals[name]?.onDemandSocket = nil
        socket.removeSocketFile()
        if let source {
            let fd = socket.fd
            source.setCancelHandler {
                Posix.close(fd)
                next?()
            }
            source.cancel()
        } else {
            socket.close()
            next?()
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let unwanted = Set(set)
        return String(drop(while: { unwanted.contains($0) }).reversed().drop(while: { unwanted.contains($0) }).reversed())
    }
}
