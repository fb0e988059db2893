import LiegeHTTP
import LiegeSystem

extension WorkerLoop {
    /// A graceful stop (reload, shutdown, recycling, master gone): no more accepting; idle keep-alive
    /// connections close now, requests already read are answered (with `Connection: close`), a head
    /// half sent gets two more seconds.
    func beginStop() {
        guard !stopping else { return }
        stopping = true
        acceptResumeAt = 0
        acceptPaused = true
        for listener in listeners { epoll.remove(listener.fd) }
        listenerArmed = listenerArmed.map { _ in false }
        for case let connection? in connections {
            if case .websocket(let link) = connection.reader {
                // Close 1001 to the client, websocket.disconnect to the app; the app's return closes the socket.
                connection.channel.queue(link.goingAway())
                settle(connection)
                continue
            }
            if connection.isIdle, !connection.lingering {
                close(connection)
            } else if connection.phase == .head, !connection.jobInFlight {
                connection.waiting = .header
                connection.deadline = min(connection.deadline > 0 ? connection.deadline : .max, now + 2000)
                noteDeadline(connection.deadline)
            }
        }
    }

    /// Harakiri: the app thread is stuck and the process is about to end. Requests read but not
    /// started get a 503 (so none is lost silently), everything queued is sent as far as the sockets
    /// take it within a short time, then the process exits.
    func answerEmergency() -> Never {
        let clock = recorder.clock
        for job in queue.drainWaiting() {
            let page = ResponseHead.simple(status: 503, version: job.version,
                                           body: "503 Service Unavailable: the worker is restarting, try again\n",
                                           keepAlive: false, date: clock.httpDate())
            job.channel.emergencyAnswer(page)
        }
        if asgi != nil { answerASGIEmergency() }
        let until = monotonicMilliseconds() + 500
        while monotonicMilliseconds() < until {
            var pending = false
            for case let connection? in connections where !connection.dead {
                if connection.channel.flush() == .blocked { pending = true }
            }
            if !pending { break }
            sleepMilliseconds(5)
        }
        recorder.accessLog.flush()
        exitImmediately(WorkerLifecycle.harakiriExitStatus)
    }

    /// Harakiri of an ASGI worker (its asyncio loop is blocked): every request in flight whose response
    /// has not started gets a 504, every WebSocket a close 1001; the blocked app never sees them again.
    private func answerASGIEmergency() {
        let clock = recorder.clock
        for case let connection? in connections where !connection.dead {
            if case .websocket(let link) = connection.reader {
                if !link.isOver { connection.channel.queue(link.goingAway()) }
                continue
            }
            guard connection.jobInFlight, !connection.channel.responseStarted else { continue }
            let page = ResponseHead.simple(status: 504, version: HTTPVersion(major: 1, minor: 1),
                                           body: "504 Gateway Timeout: the worker's event loop was blocked (harakiri)\n",
                                           keepAlive: false, date: clock.httpDate())
            connection.channel.emergencyAnswer(page)
        }
    }
}
