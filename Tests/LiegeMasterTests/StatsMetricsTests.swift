import Testing
@testable import LiegeMaster
import LiegeSystem

@Suite struct StatsMetricsTests {
    let page = MasterMetrics.render(StatsTestData.snapshot, app: "shop")

    func lines(_ prefix: String) -> [String] {
        page.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func everyFamilyHasOneHelpAndOneType() {
        let types = lines("# TYPE ")
        let helps = lines("# HELP ")
        #expect(types.count == helps.count)
        #expect(Set(types).count == types.count)
        #expect(types.contains("# TYPE liege_requests_total counter"))
        #expect(types.contains("# TYPE liege_request_duration_seconds histogram"))
        #expect(types.contains("# TYPE liege_workers_busy gauge"))
        // every sample line belongs to the family declared before it
        var family = ""
        for line in page.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { family = String(line.split(separator: " ")[2]) }
            if !line.hasPrefix("#") { #expect(line.hasPrefix(family), "\(line) outside \(family)") }
        }
    }

    @Test func countersAndGauges() {
        #expect(lines("liege_requests_total{").contains("liege_requests_total{status_class=\"2xx\"} 10"))
        #expect(lines("liege_requests_total{").contains("liege_requests_total{status_class=\"5xx\"} 2"))
        #expect(lines("liege_workers_busy ") == ["liege_workers_busy 1"])
        #expect(lines("liege_workers_idle ") == ["liege_workers_idle 0"])
        #expect(lines("liege_workers_busy_ratio ") == ["liege_workers_busy_ratio 0.5"])
        #expect(lines("liege_worker_respawns_total ") == ["liege_worker_respawns_total 8"])
        #expect(lines("liege_harakiri_total ") == ["liege_harakiri_total 4"])
        #expect(lines("liege_listen_queue{") == ["liege_listen_queue{socket=\"127.0.0.1:8000\",proto=\"http\"} 3"])
        #expect(lines("liege_worker_rss_bytes{") == ["liege_worker_rss_bytes{worker=\"1\"} 3000000", "liege_worker_rss_bytes{worker=\"2\"} 0"])
        #expect(lines("liege_master_info{") == ["liege_master_info{app=\"shop\",version=\"0.1.0\",mode=\"reloading\"} 1"])
    }

    @Test func histogramIsCumulativeWithSumAndCount() {
        let buckets = lines("liege_request_duration_seconds_bucket")
        #expect(buckets.count == ScoreboardSlot.durationBucketBoundsMicros.count + 1)
        #expect(buckets.first == "liege_request_duration_seconds_bucket{le=\"0.005\"} 12")
        #expect(buckets.last == "liege_request_duration_seconds_bucket{le=\"+Inf\"} 14")
        #expect(lines("liege_request_duration_seconds_count") == ["liege_request_duration_seconds_count 14"])
        #expect(lines("liege_request_duration_seconds_sum") == ["liege_request_duration_seconds_sum 0.021"])
    }
}
