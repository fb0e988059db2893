import LiegeSystem

/// The master's `/metrics` page (Prometheus text format 0.0.4), from one `StatsSnapshot`.
/// Counters come from the scoreboard's per-slot metrics, which survive worker respawns, so they only go up
/// while the master lives. Series are listed in docs/observability.md.
enum MasterMetrics {
    static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    static func render(_ stats: StatsSnapshot, app: String) -> String {
        var page = PrometheusText()
        let workers = stats.workers

        page.family("liege_requests_total", .counter, help: "Responses sent by the workers, by status class.")
        for (index, name) in statusClasses.enumerated() where index < stats.totals.byStatusClass.count {
            page.sample("liege_requests_total", stats.totals.byStatusClass[index], labels: [("status_class", name)])
        }

        page.family("liege_request_duration_seconds", .histogram, help: "Time from request head to the end of the response.")
        let bounds = ScoreboardSlot.durationBucketBoundsMicros.map { Double($0) / 1_000_000 }
        page.histogram("liege_request_duration_seconds", bounds: bounds, counts: stats.totals.durationBuckets,
                       sum: Double(stats.totals.durationSumMicros) / 1_000_000)

        page.family("liege_response_bytes_total", .counter, help: "Bytes sent in responses (head and body).")
        page.sample("liege_response_bytes_total", stats.totals.bytesSent)

        page.family("liege_workers", .gauge, help: "Configured worker slots.")
        page.sample("liege_workers", workers.count)
        page.family("liege_workers_busy", .gauge, help: "Workers serving a request now.")
        page.sample("liege_workers_busy", stats.busyWorkers)
        page.family("liege_workers_idle", .gauge, help: "Workers accepting and waiting for a request.")
        page.sample("liege_workers_idle", stats.idleWorkers)
        page.family("liege_workers_busy_ratio", .gauge, help: "Busy workers over configured slots (0 to 1), for autoscaling.")
        page.sample("liege_workers_busy_ratio", workers.isEmpty ? 0.0 : Double(stats.busyWorkers) / Double(workers.count))

        page.family("liege_worker_respawns_total", .counter, help: "Worker processes started after a slot's first, all slots.")
        page.sample("liege_worker_respawns_total", workers.reduce(0) { $0 + $1.respawns })
        page.family("liege_harakiri_total", .counter, help: "Requests aborted by harakiri, all slots.")
        page.sample("liege_harakiri_total", workers.reduce(0) { $0 + $1.harakiriCount })

        page.family("liege_listen_queue", .gauge, help: "Connections waiting in the kernel's accept queue, per socket.")
        for socket in stats.sockets {
            page.sample("liege_listen_queue", Double(socket.queue), labels: [("socket", socket.name), ("proto", socket.proto)])
        }
        page.family("liege_listen_queue_limit", .gauge, help: "The accept queue's limit (listen backlog), per socket.")
        for socket in stats.sockets {
            page.sample("liege_listen_queue_limit", Double(socket.maxQueue), labels: [("socket", socket.name), ("proto", socket.proto)])
        }

        page.family("liege_worker_requests_total", .counter, help: "Responses sent by each worker slot.")
        for worker in workers {
            page.sample("liege_worker_requests_total", Double(worker.requests), labels: [("worker", String(worker.id))])
        }
        page.family("liege_worker_rss_bytes", .gauge, help: "Resident memory of each worker process (0: empty slot).")
        for worker in workers {
            page.sample("liege_worker_rss_bytes", Double(worker.pid > 0 ? worker.rssBytes : 0), labels: [("worker", String(worker.id))])
        }

        page.family("liege_master_info", .gauge, help: "Constant 1, labelled with the app, version and current mode.")
        page.sample("liege_master_info", 1, labels: [("app", app), ("version", stats.version), ("mode", stats.mode.rawValue)])
        return page.text
    }
}
