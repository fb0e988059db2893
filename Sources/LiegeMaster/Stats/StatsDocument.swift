/// The stats server's JSON (SPEC.md §7): uWSGI's keys, so uwsgitop and other uWSGI tools read it, plus `mode`.
enum StatsDocument {
    static func render(_ stats: StatsSnapshot, minified: Bool) -> String {
        var json = JSONWriter(pretty: !minified)
        json.open(nil, "{")
        json.field("version", stats.version)
        json.field("listen_queue", stats.listenQueue)
        json.field("listen_queue_errors", 0)
        json.field("signal_queue", 0)
        json.field("load", stats.listenQueue + stats.busyWorkers)
        json.field("pid", Int(stats.pid))
        json.field("uid", Int(stats.uid))
        json.field("gid", Int(stats.gid))
        json.field("cwd", stats.cwd)
        json.field("mode", stats.mode.rawValue)
        json.open("locks", "[")
        json.close("]")
        json.open("sockets", "[")
        for socket in stats.sockets {
            json.open(nil, "{")
            json.field("name", socket.name)
            json.field("proto", socket.proto)
            json.field("queue", socket.queue)
            json.field("max_queue", socket.maxQueue)
            json.field("shared", 0)
            json.field("can_offload", 0)
            json.close("}")
        }
        json.close("]")
        json.open("workers", "[")
        for worker in stats.workers { write(worker, to: &json) }
        json.close("]")
        if let daemons = stats.daemons {
            json.open("daemons", "[")
            for daemon in daemons {
                json.open(nil, "{")
                json.field("cmd", daemon.command)
                json.field("pid", Int(daemon.pid))
                json.field("respawns", daemon.respawns)
                json.close("}")
            }
            json.close("]")
        }
        if let crons = stats.crons {
            json.open("crons", "[")
            for cron in crons {
                json.open(nil, "{")
                json.field("minute", cron.minute)
                json.field("hour", cron.hour)
                json.field("day", cron.day)
                json.field("month", cron.month)
                json.field("week", cron.week)
                json.field("command", cron.command)
                json.field("unique", cron.unique ? 1 : 0)
                json.field("pid", Int(cron.pid))
                json.close("}")
            }
            json.close("]")
        }
        UwsgiServicesStats.write(stats, to: &json)
        json.close("}")
        return json.text + "\n"
    }

    private static func write(_ worker: StatsSnapshot.Worker, to json: inout JSONWriter) {
        json.open(nil, "{")
        json.field("id", worker.id)
        json.field("pid", Int(worker.pid))
        json.field("accepting", worker.accepting ? 1 : 0)
        json.field("requests", worker.requests)
        json.field("delta_requests", worker.processRequests)
        json.field("exceptions", worker.exceptions)
        json.field("harakiri_count", worker.harakiriCount)
        json.field("signals", 0)
        json.field("signal_queue", 0)
        json.field("status", worker.statsStatus)
        json.field("rss", worker.rssBytes)
        json.field("vsz", worker.vszBytes)
        json.field("running_time", Int(worker.durationSumMicros))
        json.field("last_spawn", worker.lastSpawn)
        json.field("respawn_count", worker.respawns)
        json.field("tx", worker.bytesSent)
        json.field("avg_rt", worker.averageResponseMicros)
        json.open("apps", "[")
        json.close("]")
        json.open("cores", "[")
        json.open(nil, "{")
        json.field("id", 0)
        json.field("requests", worker.requests)
        json.field("static_requests", 0)
        json.field("routed_requests", 0)
        json.field("offloaded_requests", 0)
        json.field("write_errors", 0)
        json.field("read_errors", 0)
        json.field("in_request", worker.status == .busy ? 1 : 0)
        json.open("vars", "[")
        json.close("]")
        json.close("}")
        json.close("]")
        json.close("}")
    }
}
