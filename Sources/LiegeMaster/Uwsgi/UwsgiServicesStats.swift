/// The spoolers and caches in the stats JSON, under uWSGI's keys (`spoolers`, `caches`).
enum UwsgiServicesStats {
    static func write(_ stats: StatsSnapshot, to json: inout JSONWriter) {
        if let spoolers = stats.spoolers {
            json.open("spoolers", "[")
            for spooler in spoolers {
                json.open(nil, "{")
                json.field("dir", spooler.directory)
                json.field("pid", Int(spooler.pid))
                json.field("respawns", spooler.respawns)
                json.close("}")
            }
            json.close("]")
        }
        if let caches = stats.caches {
            json.open("caches", "[")
            for cache in caches {
                json.open(nil, "{")
                json.field("name", cache.name)
                json.field("items", cache.items)
                json.field("max_items", cache.maxItems)
                json.field("blocksize", cache.blockSize)
                json.field("keysize", cache.keySize)
                json.close("}")
            }
            json.close("]")
        }
    }
}

extension Arbiter {
    /// Spoolers and caches for the stats server (on the arbiter's queue).
    func addUwsgiServices(to state: inout MasterState) {
        let running = spoolers.records.filter { !$0.retired }
        if !running.isEmpty {
            state.spoolers = running.map {
                MasterState.Spooler(directory: $0.directory, pid: $0.pid ?? 0, respawns: max(0, $0.starts - 1))
            }
        }
        let caches = current.shared.caches
        if !caches.isEmpty {
            state.caches = caches.map { _, cache in
                MasterState.Cache(name: cache.name, items: cache.count, maxItems: cache.geometry.items,
                                  blockSize: cache.geometry.blockSize, keySize: cache.geometry.keySize)
            }
        }
    }
}
