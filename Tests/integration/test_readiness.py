"""`GET /ready` on the metrics listener and `drain-delay`: what load balancers and Kubernetes probes read."""
import signal
import threading
import time

from conftest import APPS
from stats_client import fetch_metrics
from support import free_port, http_request, wait_until
from emperor_support import Emperor


def ini(port, metrics, *lines):
    return "\n".join(["[uwsgi]", f"chdir = {APPS}", "module = observe", "disable-logging = true",
                      f"http-socket = 127.0.0.1:{port}", f"metrics = 127.0.0.1:{metrics}", *lines, ""])


def ready(metrics):
    """(status, first line of the body) of GET /ready."""
    status, content_type, body = fetch_metrics(metrics, "/ready")
    assert content_type == "text/plain"
    return status, body.strip()


def wait_ready(metrics, prefix="ready "):
    return wait_until(lambda: (answer := ready(metrics))[1].startswith(prefix) and answer, 30,
                      message=f"/ready saying {prefix!r}")


def test_ready_once_workers_accept_and_all_through_a_reload(start_liege):
    port, metrics = free_port(), free_port()
    server = start_liege(ini(port, metrics, "processes = 2"))
    assert wait_ready(metrics, "ready generation=0 accepting=2") == (200, "ready generation=0 accepting=2")
    assert fetch_metrics(metrics)[0] == 200            # /metrics is still there
    server.signal(signal.SIGHUP)
    answers = set()

    def reloaded():
        answer = ready(metrics)
        answers.add(answer)
        return answer[1].startswith("ready generation=1")
    wait_until(reloaded, 30, interval=0.01, message="generation 1 ready")
    # A reload keeps the sockets open, so a balancer has no reason to leave: never 503 meanwhile.
    assert {status for status, _ in answers} == {200}, answers


def test_sigterm_with_drain_delay_fails_readiness_and_keeps_serving_then_stops(start_liege):
    port, metrics = free_port(), free_port()
    server = start_liege(ini(port, metrics, "drain-delay = 4"))
    wait_ready(metrics)
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    status, body = wait_ready(metrics, "draining")
    assert status == 503
    # During the drain the app serves as before: readiness failed before the stop began.
    assert http_request(port)[0] == 200
    assert ready(metrics)[0] == 503
    assert server.process.poll() is None
    assert server.exit_code(timeout=60) == 0
    assert time.monotonic() - started >= 4            # the drain delay was honoured
    log = server.log()
    assert log.index("draining for 4s (drain-delay)") < log.index("drain-delay over: graceful shutdown")


def test_without_drain_delay_readiness_fails_as_soon_as_the_graceful_stop_begins(start_liege):
    port, metrics = free_port(), free_port()
    server = start_liege(ini(port, metrics))
    wait_ready(metrics)
    answers = []
    slow = threading.Thread(target=lambda: answers.append(http_request(port, path="/slow?s=3")[0]))
    slow.start()
    wait_until(lambda: "\nliege_workers_busy 1\n" in fetch_metrics(metrics)[2], message="the slow request in flight")
    server.signal(signal.SIGTERM)
    assert wait_ready(metrics, "stopping")[0] == 503   # the in-flight request keeps the master up meanwhile
    slow.join(30)
    assert answers == [200]
    assert server.exit_code(timeout=30) == 0
    assert "draining" not in server.log()


def test_an_immediate_stop_cuts_the_drain_short(start_liege):
    port, metrics = free_port(), free_port()
    server = start_liege(ini(port, metrics, "drain-delay = 60"))
    wait_ready(metrics)
    server.signal(signal.SIGTERM)
    wait_ready(metrics, "draining")
    server.signal(signal.SIGINT)
    assert server.exit_code(timeout=20) == 0          # long before the 60 s drain would end


def test_the_emperor_removing_a_vassal_drains_it_first(liege_bin, tmp_path):
    port, metrics = free_port(), free_port()
    vassals = tmp_path / "vassals"
    vassals.mkdir()
    (vassals / "drained.ini").write_text(ini(port, metrics, "drain-delay = 3"))
    emperor = Emperor(liege_bin, ["--emperor", str(vassals)], tmp_path / "emperor.log")
    try:
        wait_ready(metrics)
        (vassals / "drained.ini").unlink()
        assert wait_ready(metrics, "draining")[0] == 503
        assert http_request(port)[0] == 200
        emperor.wait_log("drain-delay over: graceful shutdown")
        wait_until(lambda: emperor.master_of("drained") is None, 30, message="the vassal gone")
    finally:
        emperor.stop()
