"""Master features with an ASGI app (issue 14: they work for an ASGI vassal unchanged): the stats
server counts its requests, static-map is answered by the loop without the app, max-requests recycles
a worker gracefully (its lifespan shutdown runs), and a SIGHUP reload brings new workers."""
import signal

from asgi_support import json_of, serve_asgi
from stats_client import read_stats
from support import free_port, http_request, wait_until


def test_stats_count_asgi_requests_and_exceptions(start_liege):
    stats = f"127.0.0.1:{free_port()}"
    server = serve_asgi(start_liege, "asgi_raw:app", f"stats = {stats}")
    wait_until(lambda: read_stats(stats)["workers"][0]["status"] == "idle", message="the worker idle")
    before = read_stats(stats)["workers"][0]
    for _ in range(4):
        assert http_request(server.port, path="/")[0] == 200
    assert http_request(server.port, path="/raise")[0] == 500
    after = wait_until(lambda: (w := read_stats(stats)["workers"][0]) and w["requests"] == before["requests"] + 5 and w,
                       message="5 more requests in the stats")
    assert after["exceptions"] == before["exceptions"] + 1
    assert after["pid"] == json_of(server.port, "/scope")["pid"]


def test_static_map_is_served_without_the_app(start_liege, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "style.css").write_text("body { color: teal }\n")
    server = serve_asgi(start_liege, "asgi_raw:app", f"static-map = /static={files}")
    status, headers, body, _ = http_request(server.port, path="/static/style.css")
    assert (status, body) == (200, b"body { color: teal }\n")
    assert headers["Content-Type"].startswith("text/css")
    assert "x-app" not in {name.lower() for name in headers}
    status, headers, body, _ = http_request(server.port, path="/elsewhere")   # not static: the app answers
    assert (status, headers.get("x-app"), body) == (200, "asgi-raw", b"Hello, ASGI!\n")


def test_max_requests_recycles_the_worker_and_runs_its_lifespan_shutdown(start_liege, tmp_path):
    marker = tmp_path / "shutdown"
    server = serve_asgi(start_liege, "asgi_raw:app", "max-requests = 3", f"env = ASGI_SHUTDOWN_FILE={marker}")
    first = json_of(server.port, "/scope")["pid"]
    for _ in range(2):
        http_request(server.port, path="/")
    wait_until(lambda: marker.exists() and marker.read_text() == f"shutdown {first}\n", 30,
               message="the lifespan shutdown of the recycled worker")
    second = wait_until(lambda: (pid := json_of(server.port, "/scope")["pid"]) != first and pid, 30,
                        message="a new worker")
    assert second != first
    assert json_of(server.port, "/scope")["state"] == {"greeting": "hello from lifespan"}
    assert "max-requests reached" in server.log()


def test_sighup_reload_brings_new_workers_that_run_the_lifespan_again(start_liege):
    server = serve_asgi(start_liege, "asgi_raw:app", "processes = 2")
    wait_until(lambda: len(server.workers()) == 2, 30, message="two workers")
    old = set(server.workers())
    server.signal(signal.SIGHUP)
    wait_until(lambda: (pids := set(server.workers())) and not pids & old and len(pids) == 2, 60,
               message="two new workers")
    for _ in range(4):
        scope = json_of(server.port, "/scope")
        assert scope["pid"] not in old
        assert scope["state"] == {"greeting": "hello from lifespan"}
