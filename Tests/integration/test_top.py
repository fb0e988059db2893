"""`liege top ADDR`: a live terminal view of a stats server (Liege's or uWSGI's), driven under tmux."""
import json
import socket
import subprocess
import threading

from conftest import APPS
from emperor_support import Emperor, vassal_ini, write_app
from stats_client import Tmux
from support import free_port, http_request, wait_until
from test_stats import slow_request

# A uWSGI 2.0 stats document as its stats server sends it (one worker, the locks and apps uWSGI lists).
UWSGI_DOCUMENT = {
    "version": "2.0.28", "listen_queue": 0, "listen_queue_errors": 0, "signal_queue": 0, "load": 0, "pid": 4321,
    "uid": 1000, "gid": 1000, "cwd": "/srv/app", "locks": [{"user 0": 0}, {"signal": 0}, {"rpc": 0}],
    "sockets": [{"name": "127.0.0.1:3031", "proto": "uwsgi", "queue": 0, "max_queue": 100, "shared": 0, "can_offload": 0}],
    "workers": [
        {"id": 1, "pid": 4322, "accepting": 1, "requests": 1234, "delta_requests": 12, "exceptions": 3, "harakiri_count": 1,
         "signals": 0, "signal_queue": 0, "status": "busy", "rss": 0, "vsz": 0, "running_time": 456789,
         "last_spawn": 1700000000, "respawn_count": 2, "tx": 98765, "avg_rt": 2500,
         "apps": [{"id": 0, "modifier1": 0, "mountpoint": "", "startup_time": 0, "requests": 1234, "exceptions": 3,
                   "chdir": ""}],
         "cores": [{"id": 0, "requests": 1234, "static_requests": 0, "routed_requests": 0, "offloaded_requests": 0,
                    "write_errors": 0, "read_errors": 0, "in_request": 1, "vars": [], "req_info": {}}]},
    ],
}


def observe_ini(*lines):
    return "[uwsgi]\nchdir = %s\nmodule = observe\ndisable-logging = true\n%s\n" % (APPS, "\n".join(lines))


def worker_rows(screen, pids):
    return {row[1]: row for row in (line.split() for line in screen.splitlines()) if len(row) > 2 and row[1] in pids}


def test_top_shows_the_workers_live_and_quits_on_q(start_liege, liege_bin, tmp_path):
    port, stats = free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2", f"stats = 127.0.0.1:{stats}"))
    wait_until(lambda: len(server.workers()) == 2, message="2 workers")
    pids = [str(p) for p in server.workers()]
    tmux = Tmux(tmp_path / "tmux.sock", f"{liege_bin} top 127.0.0.1:{stats}")
    try:
        screen = tmux.wait_screen(lambda s: len(worker_rows(s, pids)) == 2 and "idle" in s, message="two worker lines")
        assert "WID" in screen and "STATUS" in screen and "RPS" in screen
        assert f"pid {server.pid}" in screen and "mode normal" in screen
        rows = worker_rows(screen, pids)
        assert sorted(row[0] for row in rows.values()) == ["1", "2"]
        assert all(row[2] == "idle" for row in rows.values())

        for _ in range(6):
            http_request(port)
        screen = tmux.wait_screen(lambda s: "req: 6" in s, message="6 requests counted on screen (refresh)")
        request = slow_request(port, 3)
        screen = tmux.wait_screen(lambda s: any(r[2] == "busy" for r in worker_rows(s, pids).values()),
                                  message="a busy worker")
        assert "busy 1, idle 1" in screen
        tmux.keys("q")
        wait_until(lambda: not tmux.alive(), 10, message="liege top quits on q")
        request.join(10)
    finally:
        tmux.close()


def serve_canned(document):
    """A one-thread stand-in for uWSGI's stats server: writes the JSON and closes, like uWSGI does."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def loop():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.sendall(json.dumps(document).encode())
    threading.Thread(target=loop, daemon=True).start()
    return listener


def test_top_reads_a_uwsgi_stats_server(liege_bin, tmp_path):
    listener = serve_canned(UWSGI_DOCUMENT)
    address = "127.0.0.1:%d" % listener.getsockname()[1]
    try:
        once = subprocess.run([liege_bin, "top", address, "--once"], capture_output=True, text=True, timeout=10)
        assert once.returncode == 0, once.stderr
        row = worker_rows(once.stdout, ["4322"])["4322"]
        assert row[:4] == ["1", "4322", "busy", "1234"]
        assert "version 2.0.28" in once.stdout and "busy 1, idle 0" in once.stdout

        tmux = Tmux(tmp_path / "tmux.sock", f"{liege_bin} top {address}")
        try:
            screen = tmux.wait_screen(lambda s: "4322" in s, message="the uWSGI worker line")
            assert worker_rows(screen, ["4322"])["4322"][2] == "busy"
            tmux.keys("q")
            wait_until(lambda: not tmux.alive(), 10, message="quits on q")
        finally:
            tmux.close()
    finally:
        listener.close()


def test_top_once_over_stats_http_and_emperor_shape(start_liege, liege_bin):
    port, stats = free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", f"stats = 127.0.0.1:{stats}", "stats-http = true"))
    wait_until(lambda: server.workers(), message="a worker")
    once = subprocess.run([liege_bin, "top", f"http://127.0.0.1:{stats}/", "--once"], capture_output=True, text=True,
                          timeout=10)
    assert once.returncode == 0, once.stderr
    assert str(server.workers()[0]) in once.stdout

    emperor = {"version": "0.1.0", "pid": 77, "emperor": ["/etc/liege"], "emperor_tyrant": 0, "throttle_level": 0,
               "vassals": [{"id": "shop.ini", "pid": 1001, "state": "running", "respawns": 0},
                           {"id": "blog.ini", "pid": 0, "state": "backoff", "respawns": 4}], "blacklist": []}
    listener = serve_canned(emperor)
    try:
        once = subprocess.run([liege_bin, "top", "127.0.0.1:%d" % listener.getsockname()[1], "--once"],
                              capture_output=True, text=True, timeout=10)
        lines = [line.split() for line in once.stdout.splitlines()]
        assert ["shop.ini", "1001", "running", "0"] in lines
        assert ["blog.ini", "0", "backoff", "4"] in lines
    finally:
        listener.close()


def test_top_usage_and_unreachable(liege_bin):
    assert subprocess.run([liege_bin, "top"], capture_output=True, timeout=10).returncode == 2
    failed = subprocess.run([liege_bin, "top", f"127.0.0.1:{free_port()}", "--once"], capture_output=True, text=True,
                            timeout=10)
    assert failed.returncode == 1 and "cannot read stats" in failed.stdout


def test_top_shows_a_real_emperors_vassals(liege_bin, tmp_path):
    vassals = tmp_path / "vassals"
    vassals.mkdir()
    port, stats = free_port(), free_port()
    write_app(vassals, "shopapp", "v1")
    (vassals / "shop.ini").write_text(vassal_ini(port, "shopapp"))
    (vassals / "broken.ini").write_text("[uwsgi]\nprocesses = many\n")
    emperor = Emperor(liege_bin, ["--emperor", str(vassals), "--emperor-stats", f"127.0.0.1:{stats}"],
                      tmp_path / "emperor.log")
    try:
        emperor.wait_log("emperor governing")

        def vassal_rows():
            out = subprocess.run([liege_bin, "top", f"127.0.0.1:{stats}", "--once"], capture_output=True, text=True,
                                 timeout=10).stdout
            return {row[0]: row for row in (line.split() for line in out.splitlines()) if row and row[0].endswith(".ini")}
        rows = wait_until(lambda: (r := vassal_rows()) and r.get("shop.ini", [""] * 3)[2] == "running" and r,
                          60, message="shop running in liege top")
        assert rows["shop.ini"][1] == str(emperor.master_of("shop"))
        assert rows["broken.ini"][2] == "invalid"
    finally:
        emperor.stop()
