"""The stats server (SPEC.md §7): uWSGI's JSON plus `mode`, from the scoreboard and the kernel; uwsgitop reads it."""
import json
import os
import signal
import socket
import threading

from conftest import APPS, VENV
from stats_client import Tmux, read_raw, read_stats
from support import Liege, free_port, http_request, wait_until

TOP_KEYS = {"version", "listen_queue", "listen_queue_errors", "signal_queue", "load", "pid", "uid", "gid", "cwd",
            "mode", "locks", "sockets", "workers"}
SOCKET_KEYS = {"name", "proto", "queue", "max_queue", "shared", "can_offload"}
WORKER_KEYS = {"id", "pid", "accepting", "requests", "delta_requests", "exceptions", "harakiri_count", "signals",
               "signal_queue", "status", "rss", "vsz", "running_time", "last_spawn", "respawn_count", "tx", "avg_rt",
               "apps", "cores"}


def observe_ini(*lines):
    return "[uwsgi]\nchdir = %s\nmodule = observe\ndisable-logging = true\n%s\n" % (APPS, "\n".join(lines))


def slow_request(port, seconds):
    thread = threading.Thread(target=http_request, args=(port,), kwargs={"path": f"/slow?s={seconds}"}, daemon=True)
    thread.start()
    return thread


def test_document_has_every_key_and_counts_requests(start_liege):
    port, stats = free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", f"socket = 127.0.0.1:{free_port()}",
                                     "processes = 2", f"stats = 127.0.0.1:{stats}"))
    wait_until(lambda: all(w["status"] == "idle" and w["accepting"] for w in read_stats(f"127.0.0.1:{stats}")["workers"]),
               message="both workers idle")
    document = read_stats(f"127.0.0.1:{stats}")
    assert TOP_KEYS <= document.keys()
    assert "daemons" not in document and "crons" not in document   # only when configured
    assert document["mode"] == "normal"
    assert document["pid"] == server.pid
    assert [s["proto"] for s in document["sockets"]] == ["uwsgi", "http"]
    assert all(SOCKET_KEYS <= s.keys() for s in document["sockets"])
    assert document["sockets"][1]["name"] == f"127.0.0.1:{port}"
    assert document["sockets"][1]["max_queue"] > 0
    assert [w["id"] for w in document["workers"]] == [1, 2]
    assert sorted(w["pid"] for w in document["workers"]) == sorted(server.workers())
    for worker in document["workers"]:
        assert WORKER_KEYS <= worker.keys()
        assert worker["rss"] > 1_000_000 and worker["vsz"] >= worker["rss"]
        assert worker["last_spawn"] > 1_600_000_000
    before = sum(w["requests"] for w in document["workers"])

    for _ in range(5):
        assert http_request(port)[0] == 200
    assert http_request(port, path="/boom")[0] == 500
    # The slot is updated right after the response is sent: poll briefly.
    after = wait_until(lambda: (d := read_stats(f"127.0.0.1:{stats}")) and
                       sum(w["requests"] for w in d["workers"]) == before + 6 and d, message="6 more requests")
    assert sum(w["exceptions"] for w in after["workers"]) == 1
    assert sum(w["tx"] for w in after["workers"]) > 6 * 20
    assert any(w["avg_rt"] > 0 and w["running_time"] > 0 for w in after["workers"])


def test_busy_worker_and_the_kernel_listen_queue(start_liege):
    port, stats = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 1", f"stats = 127.0.0.1:{stats}"))
    request = slow_request(port, 3)
    wait_until(lambda: read_stats(f"127.0.0.1:{stats}")["workers"][0]["status"] == "busy", message="worker busy")
    # The only worker is busy: these connections wait in the accept queue, as the kernel reports. They
    # send their request at once, as clients do (with TCP_DEFER_ACCEPT a silent connection is not queued yet).
    waiting = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
    for conn in waiting:
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
    try:
        document = wait_until(lambda: (d := read_stats(f"127.0.0.1:{stats}"))["listen_queue"] >= 3 and d,
                              message="listen_queue 3")
        assert document["sockets"][0]["queue"] >= 3
        assert document["workers"][0]["cores"][0]["in_request"] == 1
    finally:
        for conn in waiting:
            conn.close()
    request.join(10)
    wait_until(lambda: read_stats(f"127.0.0.1:{stats}")["workers"][0]["status"] == "idle", message="worker idle again")


def test_unix_listen_queue_and_unix_stats_address(start_liege, tmp_path):
    app_socket, stats_socket = tmp_path / "app.sock", tmp_path / "stats.sock"
    start_liege(observe_ini(f"http-socket = {app_socket}", "processes = 1", f"stats = {stats_socket}"))
    client = socket.socket(socket.AF_UNIX)
    client.connect(str(app_socket))
    client.sendall(b"GET /slow?s=3 HTTP/1.0\r\n\r\n")
    try:
        wait_until(lambda: read_stats(stats_socket)["workers"][0]["status"] == "busy", message="worker busy")
        waiting = []
        for _ in range(2):
            conn = socket.socket(socket.AF_UNIX)
            conn.connect(str(app_socket))
            waiting.append(conn)
        wait_until(lambda: read_stats(stats_socket)["listen_queue"] >= 2, message="unix listen_queue 2")
        for conn in waiting:
            conn.close()
    finally:
        client.close()


def test_stats_http_and_minified(start_liege):
    port, stats = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", f"stats = 127.0.0.1:{stats}", "stats-http = true",
                            "stats-minified = true"))
    raw = read_raw(f"127.0.0.1:{stats}", send=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 OK")
    assert b"Content-Type: application/json" in head
    assert b"\n" not in body.strip() and b": " not in body
    assert json.loads(body)["workers"][0]["id"] == 1


def test_pretty_by_default(start_liege):
    port, stats = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", f"stats = 127.0.0.1:{stats}"))
    text = read_raw(f"127.0.0.1:{stats}").decode()
    assert text.startswith("{\n  \"version\": ")
    assert json.loads(text)["mode"] == "normal"


def test_empty_slot_is_cheap_and_respawns_count(start_liege):
    port, stats = free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2", f"stats = 127.0.0.1:{stats}"))
    wait_until(lambda: len(server.workers()) == 2, message="2 workers")
    first = read_stats(f"127.0.0.1:{stats}")["workers"][0]
    os.kill(first["pid"], signal.SIGKILL)   # a worker of the master this test started
    replaced = wait_until(lambda: (w := read_stats(f"127.0.0.1:{stats}")["workers"][0])["pid"] not in (0, first["pid"])
                          and w["status"] == "idle" and w, message="worker 1 replaced")
    assert replaced["respawn_count"] == first["respawn_count"] + 1


def test_bad_stats_address_fails_the_start(liege_bin, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ini = tmp_path / "clash.ini"
        ini.write_text(observe_ini(f"http-socket = 127.0.0.1:{free_port()}", f"stats = 127.0.0.1:{busy}"))
        server = Liege(liege_bin, ["--ini", str(ini)], tmp_path / "clash.log")
        assert server.exit_code() == 1
        assert f"cannot bind stats 127.0.0.1:{busy}" in server.log()
        server.stop()


def test_uwsgitop_shows_the_workers(start_liege, tmp_path):
    """The real uwsgitop from PyPI, in a tmux window, reads Liege's stats server."""
    port, stats = free_port(), free_port()
    server = start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2", f"stats = 127.0.0.1:{stats}"))
    wait_until(lambda: len(server.workers()) == 2, message="2 workers")
    for _ in range(4):
        http_request(port)
    tmux = Tmux(tmp_path / "tmux.sock", f"TERM=xterm {VENV / 'bin' / 'uwsgitop'} 127.0.0.1:{stats}")
    try:
        pids = [str(p) for p in server.workers()]
        screen = tmux.wait_screen(lambda s: "WID" in s and all(p in s for p in pids), message="uwsgitop worker lines")
        assert "req: 4" in screen
        rows = [line.split() for line in screen.splitlines() if len(line.split()) > 7 and line.split()[2] in pids]
        assert sorted(row[0] for row in rows) == ["1", "2"]          # WID
        assert sorted(row[3] for row in rows) in (["0", "4"], ["1", "3"], ["2", "2"])   # REQ per worker
        assert all(row[7] == "idle" for row in rows)                 # STATUS
        tmux.keys("q")
        wait_until(lambda: not tmux.alive(), 10, message="uwsgitop quits on q")
    finally:
        tmux.close()


def test_harakiri_counts_for_its_slot(start_liege):
    port, stats = free_port(), free_port()
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 1", f"stats = 127.0.0.1:{stats}",
                            "harakiri = 1"))
    status = http_request(port, path="/slow?s=4")[0]
    assert status == 504
    worker = wait_until(lambda: (w := read_stats(f"127.0.0.1:{stats}")["workers"][0])["harakiri_count"] == 1
                        and w["status"] == "idle" and w, message="harakiri counted, worker replaced")
    assert worker["respawn_count"] == 1


def test_paused_master_shows_pause(start_liege, tmp_path):
    port, stats, fifo = free_port(), free_port(), tmp_path / "fifo"
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", "processes = 2", f"stats = 127.0.0.1:{stats}",
                            f"master-fifo = {fifo}"))
    with open(fifo, "w") as control:
        control.write("p")
    wait_until(lambda: [w["status"] for w in read_stats(f"127.0.0.1:{stats}")["workers"]] == ["pause", "pause"],
               message="both slots paused")
    with open(fifo, "w") as control:
        control.write("p")
    wait_until(lambda: [w["status"] for w in read_stats(f"127.0.0.1:{stats}")["workers"]] == ["idle", "idle"],
               message="resumed")


def test_daemons_and_crons_are_listed(start_liege, tmp_path):
    port, stats = free_port(), free_port()
    pidfile = tmp_path / "sleeper.pid"
    start_liege(observe_ini(f"http-socket = 127.0.0.1:{port}", f"stats = 127.0.0.1:{stats}",
                            f"attach-daemon = echo $$ > {pidfile}; exec sleep 600",
                            "cron = 30 -2 -1 -1 -1 echo half past an even hour",
                            "unique-cron = */15 * * * 1-5 echo weekdays"))
    wait_until(lambda: pidfile.exists() and pidfile.read_text().strip(), message="the daemon wrote its pid")
    daemon_pid = int(pidfile.read_text())
    document = wait_until(lambda: (d := read_stats(f"127.0.0.1:{stats}")) and d.get("daemons") and d, message="daemons")
    assert document["daemons"] == [{"cmd": f"echo $$ > {pidfile}; exec sleep 600", "pid": daemon_pid, "respawns": 0}]
    first, second = document["crons"]
    assert (first["minute"], first["hour"], first["day"], first["month"], first["week"]) == (30, -2, -1, -1, -1)
    assert first["command"] == "echo half past an even hour" and first["unique"] == 0 and first["pid"] == 0
    assert (second["minute"], second["week"], second["unique"]) == (0, 1, 1)  # a range shows its first value
