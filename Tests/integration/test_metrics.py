"""`metrics = ADDR`: Prometheus text format 0.0.4 at /metrics, read with the real prometheus_client parser."""
import os
import signal
import socket

from prometheus_client.parser import text_string_to_metric_families

from conftest import APPS
from stats_client import fetch_metrics, read_stats
from support import free_port, http_request, wait_until
from test_stats import slow_request


def observe_ini(*lines):
    return "[uwsgi]\nchdir = %s\nmodule = observe\ndisable-logging = true\n%s\n" % (APPS, "\n".join(lines))


def scrape(port):
    status, content_type, text = fetch_metrics(port)
    assert status == 200
    assert content_type == "text/plain; version=0.0.4; charset=utf-8"
    return {family.name: family for family in text_string_to_metric_families(text)}


def value(families, family, sample=None, **labels):
    for entry in families[family].samples:
        if entry.name == (sample or family) and all(entry.labels.get(k) == v for k, v in labels.items()):
            return entry.value
    raise AssertionError(f"no sample {sample or family} {labels} in {families[family].samples}")


def test_families_types_and_counters_move(start_liege):
    port, metrics = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2", f"metrics = 127.0.0.1:{metrics}"))
    families = scrape(metrics)
    expected = {
        "liege_requests": "counter", "liege_request_duration_seconds": "histogram", "liege_response_bytes": "counter",
        "liege_workers": "gauge", "liege_workers_busy": "gauge", "liege_workers_idle": "gauge",
        "liege_workers_busy_ratio": "gauge", "liege_worker_respawns": "counter", "liege_harakiri": "counter",
        "liege_listen_queue": "gauge", "liege_listen_queue_limit": "gauge", "liege_worker_requests": "counter",
        "liege_worker_rss_bytes": "gauge", "liege_master_info": "gauge",
    }
    assert {name: families[name].type for name in expected} == expected
    assert all(families[name].documentation for name in expected)
    assert value(families, "liege_workers") == 2
    ok_before = value(families, "liege_requests", "liege_requests_total", status_class="2xx")
    count_before = value(families, "liege_request_duration_seconds", "liege_request_duration_seconds_count")

    for _ in range(7):
        assert http_request(port)[0] == 200
    assert http_request(port, path="/status/404")[0] == 404
    assert http_request(port, path="/boom")[0] == 500
    assert http_request(port, path="/status/302")[0] == 302

    def moved():
        families = scrape(metrics)
        return value(families, "liege_request_duration_seconds", "liege_request_duration_seconds_count") == count_before + 10 \
            and families
    families = wait_until(moved, message="10 more observations")
    assert value(families, "liege_requests", "liege_requests_total", status_class="2xx") == ok_before + 7
    assert value(families, "liege_requests", "liege_requests_total", status_class="3xx") == 1
    assert value(families, "liege_requests", "liege_requests_total", status_class="4xx") == 1
    assert value(families, "liege_requests", "liege_requests_total", status_class="5xx") == 1
    buckets = [s for s in families["liege_request_duration_seconds"].samples if s.name.endswith("_bucket")]
    assert buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == count_before + 10
    assert [b.value for b in buckets] == sorted(b.value for b in buckets)   # cumulative
    assert value(families, "liege_response_bytes", "liege_response_bytes_total") > 10 * 20
    per_worker = sum(value(families, "liege_worker_requests", "liege_worker_requests_total", worker=w) for w in ("1", "2"))
    assert per_worker == count_before + 10
    assert value(families, "liege_worker_rss_bytes", worker="1") > 1_000_000
    assert value(families, "liege_listen_queue_limit", socket=f"127.0.0.1:{port}", proto="http") > 0


def test_busy_gauges_and_duration_buckets(start_liege):
    port, metrics = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2", f"metrics = 127.0.0.1:{metrics}"))
    wait_until(lambda: value(scrape(metrics), "liege_workers_idle") == 2, message="2 idle workers")
    request = slow_request(port, 1.5)
    families = wait_until(lambda: (f := scrape(metrics)) and value(f, "liege_workers_busy") == 1 and f, message="1 busy")
    assert value(families, "liege_workers_idle") == 1
    assert value(families, "liege_workers_busy_ratio") == 0.5
    request.join(10)
    families = wait_until(lambda: (f := scrape(metrics)) and value(f, "liege_workers_busy") == 0 and
                          value(f, "liege_request_duration_seconds", "liege_request_duration_seconds_count") == 1 and f,
                          message="the slow request counted")
    assert value(families, "liege_request_duration_seconds", "liege_request_duration_seconds_bucket", le="1") == 0
    assert value(families, "liege_request_duration_seconds", "liege_request_duration_seconds_bucket", le="2.5") == 1
    assert value(families, "liege_request_duration_seconds", "liege_request_duration_seconds_sum") >= 1.5


def test_counters_survive_a_worker_respawn(start_liege):
    port, metrics = free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 1", f"metrics = 127.0.0.1:{metrics}"))
    for _ in range(3):
        http_request(port)
    wait_until(lambda: value(scrape(metrics), "liege_requests", "liege_requests_total", status_class="2xx") == 3,
               message="3 requests")
    [worker] = server.workers()
    os.kill(worker, signal.SIGKILL)   # the worker of the master this test started
    wait_until(lambda: server.workers() and server.workers() != [worker], message="respawned worker")
    http_request(port)
    families = wait_until(lambda: (f := scrape(metrics)) and
                          value(f, "liege_requests", "liege_requests_total", status_class="2xx") == 4 and f,
                          message="the counter went on from 3")
    assert value(families, "liege_worker_respawns", "liege_worker_respawns_total") == 1


def test_only_metrics_path_and_unix_address(start_liege, tmp_path):
    port, metrics = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", f"metrics = 127.0.0.1:{metrics}"))
    status, _, _ = fetch_metrics(metrics, "/")
    assert status == 404
    status, _, text = fetch_metrics(metrics, "/metrics?name[]=x")
    assert status == 200 and "liege_workers 1" in text

    path = tmp_path / "metrics.sock"
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{free_port()}", f"metrics = {path}"), name="unix")
    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(str(path))
        conn.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200")
    families = {f.name for f in text_string_to_metric_families(body.decode())}
    assert "liege_requests" in families


def test_counters_survive_a_reload_and_mode_shows_it(start_liege):
    port, metrics, stats = free_port(), free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 1", f"metrics = 127.0.0.1:{metrics}",
                                     f"stats = 127.0.0.1:{stats}", "worker-reload-mercy = 10"))
    for _ in range(3):
        http_request(port)
    wait_until(lambda: value(scrape(metrics), "liege_requests", "liege_requests_total", status_class="2xx") == 3,
               message="3 requests")
    request = slow_request(port, 2)
    wait_until(lambda: value(scrape(metrics), "liege_workers_busy") == 1, message="busy")
    [old] = server.workers()
    server.signal(signal.SIGHUP)   # graceful reload: a new generation (and scoreboard); the busy worker finishes
    wait_until(lambda: read_stats(f"127.0.0.1:{stats}")["mode"] == "reloading", message="mode reloading")
    request.join(10)
    wait_until(lambda: server.workers() and old not in server.workers() and
               read_stats(f"127.0.0.1:{stats}")["mode"] == "normal", message="reload done")
    http_request(port)
    families = wait_until(lambda: (f := scrape(metrics)) and
                          value(f, "liege_requests", "liege_requests_total", status_class="2xx") == 5 and f,
                          message="counters went on across the reload")
    assert value(families, "liege_request_duration_seconds", "liege_request_duration_seconds_count") == 5
    assert value(families, "liege_master_info", mode="normal") == 1
