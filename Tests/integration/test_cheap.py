"""Scale to zero and back (SPEC.md §8) through the real binary: cheap, idle, die-on-idle."""
import signal
import subprocess
import threading
import time

from support import alive, children_of, free_port, wait_until
from lifecycle_support import get, pid_of, write_app


def config(port, app, processes=2, extra=""):
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nprocesses = {processes}\n{extra}\n"


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def tree_rss_kb(pid):
    """VmRSS of a process plus all of its descendants."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += rss_kb(current)
        pending += children_of(current)
    return total


def fire(port, count, start=None):
    """`count` GET / from as many threads, released together; returns their (status, body) or errors."""
    results = [None] * count
    start = start or threading.Event()

    def one(index):
        start.wait(60)
        try:
            results[index] = get(port, "/", timeout=60)
        except Exception as error:  # noqa: BLE001 - every failure counts
            results[index] = ("error", repr(error))

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads, results, start


def test_cheap_spawns_no_worker_until_the_first_connection_which_is_served(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2, extra="cheap = true"), name="cheap", wait=False)
    server.wait_log("cheap mode")
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        assert server.workers() == [], "a worker exists before any connection"
        assert server.process.poll() is None
        time.sleep(0.05)
    status, body = get(port)
    assert (status, body.split(" ")[0]) == (200, "v1")
    assert pid_of(body) in children_of(server.pid)
    assert "spawning 2 workers" in server.log()
    wait_until(lambda: len(server.workers()) == 2, 30, message="both workers")


def test_idle_stops_the_workers_and_memory_falls_to_the_master(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2, extra="cheap = true\nidle = 2"), name="idle", wait=False)
    server.wait_log("cheap mode")
    assert get(port)[0] == 200
    wait_until(lambda: len(server.workers()) == 2, 30, message="both workers")
    workers = server.workers()
    wait_until(lambda: server.log().count(" ready (pid ") >= 2, 30, message="both workers ready")
    with_workers = tree_rss_kb(server.pid)
    assert with_workers > rss_kb(server.pid) + sum(rss_kb(w) for w in workers) // 2
    # Gone within a few seconds after the last request (idle = 2 s).
    # Only the master is left once it has reaped them (an exited worker stays its child, a zombie, until
    # then). Its own RSS moves, so it is not compared.
    wait_until(lambda: not any(alive(w) for w in workers) and children_of(server.pid) == [], 15,
               message="workers gone and reaped after idle")
    assert "idle: no request for more than 2s" in server.log()
    assert tree_rss_kb(server.pid) < with_workers
    # ... and the next connection brings them back.
    status, body = get(port)
    assert status == 200 and pid_of(body) not in workers
    assert server.log().count("spawning 2 workers") == 2


def test_idle_without_cheap_starts_with_workers(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=1, extra="idle = 1"), name="warm")
    first = server.workers()
    assert len(first) == 1
    wait_until(lambda: server.workers() == [], 15, message="worker gone after idle")
    assert get(port)[0] == 200


def test_requests_arriving_as_idle_fires_are_all_served(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2, extra="cheap = true\nidle = 1"), name="race", wait=False)
    server.wait_log("cheap mode")
    failures = []
    for round_number in range(4):
        assert get(port)[0] == 200
        idles = server.log().count("idle: no request")
        if round_number % 2 == 0:
            # The instant the master logs `idle`: the workers have just been told to stop.
            threads, results, start = fire(port, 50)
            wait_until(lambda: server.log().count("idle: no request") > idles, 20, interval=0.002, message="idle")
        else:
            # Around the deadline, before the master says anything.
            threads, results, start = fire(port, 50)
            time.sleep(1.0 + 0.1 * round_number)
        start.set()
        for thread in threads:
            thread.join(90)
        failures += [r for r in results if r is None or r[0] != 200]
        wait_until(lambda: server.log().count("idle: no request") > idles, 20, message="idle again")
    assert failures == [], f"{len(failures)} requests failed: {failures[:5]}\n{server.log()[-3000:]}"


def test_die_on_idle_exits_zero(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=1, extra="idle = 1\ndie-on-idle = true"), name="die")
    assert get(port)[0] == 200
    assert server.exit_code(timeout=20) == 0
    assert "die-on-idle" in server.log()


def test_cheaper_options_are_checked(liege_bin, tmp_path):
    for extra, message in (("processes = 2\ncheaper = 2", "cheaper must be lower than processes"),
                           ("processes = 4\ncheaper = 2\ncheaper-initial = 1", "cheaper-initial must be between"),
                           ("processes = 4\ncheaper = 1\ncheaper-algo = busyness", "\"cheaper-algo\" must be one of")):
        ini = tmp_path / "bad.ini"
        ini.write_text(f"[uwsgi]\nhttp-socket = 127.0.0.1:0\nmodule = app\n{extra}\n")
        result = subprocess.run([liege_bin, "--check-config", str(ini)], capture_output=True, text=True, timeout=30)
        assert result.returncode == 1
        assert message in result.stderr and "bad.ini:" in result.stderr


def test_a_reload_while_cheap_checks_the_app_and_stays_cheap(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    server = start_liege(config(port, app, processes=2, extra="cheap = true"), name="reload", wait=False)
    server.wait_log("cheap mode")
    write_app(tmp_path, body="v2")
    server.signal(signal.SIGHUP)
    server.wait_log("reload done")
    # The reload's import check ran one worker; it leaves again, nothing else is spawned.
    wait_until(lambda: server.workers() == [] and "exited with status 0 (cheap mode)" in server.log(), 20,
               message="back to no worker")
    time.sleep(1.0)
    assert server.workers() == []
    status, body = get(port)
    assert (status, body.split(" ")[0]) == (200, "v2")


def test_stats_show_the_mode_and_empty_slots(start_liege, tmp_path):
    from stats_client import read_stats
    port, stats = free_port(), free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2, extra=f"cheap = true\nidle = 1\nstats = 127.0.0.1:{stats}"),
                         name="stats", wait=False)
    server.wait_log("cheap mode")
    document = wait_until(lambda: read_stats(f"127.0.0.1:{stats}"), 10, message="stats")
    assert document["mode"] == "cheap"
    assert [(w["pid"], w["status"]) for w in document["workers"]] == [(0, "cheap"), (0, "cheap")]
    assert get(port)[0] == 200
    assert read_stats(f"127.0.0.1:{stats}")["mode"] == "normal"
    wait_until(lambda: read_stats(f"127.0.0.1:{stats}")["mode"] == "cheap" and server.workers() == [], 20,
               message="cheap again after idle")
