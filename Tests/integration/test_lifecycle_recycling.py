"""Supervision and recycling (SPEC.md §4) through the real binary."""
import os
import signal
import threading
import time

from support import alive, free_port, wait_until
from lifecycle_support import Load, get, pid_of, write_app, wait_all_ready

ALLOCATING_APP = '''
import os
HOARD = []

def application(environ, start_response):
    HOARD.append(bytearray(16 * 1024 * 1024))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("pid=%d" % os.getpid()).encode()]
'''


def config(port, app, processes=1, extra=""):
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nprocesses = {processes}\n{extra}\n"


def test_killed_worker_is_replaced_and_no_other_request_fails(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=3), name="kill9")
    wait_all_ready(server, 3)
    with Load(port) as load:
        wait_until(lambda: load.ok > 10, 10, message="load running")
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: len(server.workers()) == 3 and victim not in server.workers(), 10, message="slot refilled")
        served = load.ok
        wait_until(lambda: load.ok > served + 20, 10, message="load goes on")
    # The request the killed worker held (if any) is the only one allowed to fail.
    assert len(load.errors) <= 1, load.errors
    assert "killed by signal 9" in server.log()


def test_harakiri_answers_504_logs_the_request_and_replaces_the_worker(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, extra="harakiri = 2"), name="harakiri")
    wait_all_ready(server, 1)
    victim = server.workers()[0]
    started = time.monotonic()
    status, body = get(port, "/sleep/30")
    elapsed = time.monotonic() - started
    assert status == 504
    assert 2.0 <= elapsed < 20  # cut short by harakiri (the app sleeps 30 s); generous for a busy machine
    server.wait_log("HARAKIRI")
    line = next(line for line in server.log().splitlines() if "HARAKIRI" in line)
    assert "worker 1" in line and f"pid {victim}" in line and "GET /sleep/30" in line
    wait_until(lambda: server.workers() and victim not in server.workers(), 10, message="worker replaced")
    assert get(port)[0] == 200


def test_max_requests_recycles_after_exactly_ten_without_failures(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, extra="max-requests = 10"), name="maxreq")
    wait_all_ready(server, 1)
    pids = []
    for _ in range(30):
        status, body = get(port)
        assert status == 200
        pids.append(pid_of(body))
    assert len(set(pids[0:10])) == 1 and len(set(pids[10:20])) == 1 and len(set(pids[20:30])) == 1
    assert pids[0] != pids[10] != pids[20]
    assert server.log().count("max-requests reached") >= 2


def test_max_requests_delta_gives_each_slot_its_own_limit(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2, extra="max-requests = 5\nmax-requests-delta = 3"), name="delta")
    wait_all_ready(server, 2)
    for _ in range(30):
        assert get(port)[0] == 200
    log = server.log()
    assert "max-requests reached (5 of 5)" in log
    assert "max-requests reached (8 of 8)" in log


def test_reload_on_rss_recycles_a_growing_worker(start_liege, tmp_path):
    port = free_port()
    app = tmp_path / "hoard.py"
    app.write_text(ALLOCATING_APP)
    server = start_liege(config(port, app, extra="reload-on-rss = 80\nmin-worker-lifetime = 0"), name="rss")
    wait_all_ready(server, 1)
    pids = [pid_of(get(port)[1]) for _ in range(8)]
    assert len(set(pids)) >= 2, pids
    assert "reload-on-rss" in server.log()


def test_evil_reload_on_rss_kills_from_the_master(start_liege, tmp_path):
    port = free_port()
    app = tmp_path / "hoard.py"
    app.write_text(ALLOCATING_APP)
    server = start_liege(config(port, app, extra="evil-reload-on-rss = 80"), name="evil")
    wait_all_ready(server, 1)
    first = pid_of(get(port)[1])
    for _ in range(4):
        get(port)
    server.wait_log("evil-reload-on-rss", timeout=5)
    wait_until(lambda: server.workers() and first not in server.workers(), 10, message="worker replaced")


def test_max_worker_lifetime_recycles_old_workers(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, extra="max-worker-lifetime = 2\nmin-worker-lifetime = 1"), name="lifetime")
    wait_all_ready(server, 1)
    first = server.workers()[0]
    with Load(port) as load:
        wait_until(lambda: server.workers() and first not in server.workers(), 10, message="worker recycled")
        time.sleep(0.3)
    assert load.errors == []
    assert "max-worker-lifetime" in server.log()


def test_crash_loop_backs_off(start_liege, tmp_path):
    port = free_port()
    app = tmp_path / "crash.py"
    app.write_text("import os\ndef application(e, s):\n    os._exit(3)\n")
    server = start_liege(config(port, app), name="crash")
    wait_all_ready(server, 1)
    for _ in range(3):
        try:
            get(port, timeout=5)
        except Exception:  # noqa: BLE001 - the worker dies on purpose
            pass
        time.sleep(0.2)
    server.wait_log("respawn delayed", timeout=10)


def test_sigterm_lets_the_slow_request_finish_then_everything_exits(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2), name="term")
    wait_all_ready(server, 2)
    workers = server.workers()
    result = {}
    thread = threading.Thread(target=lambda: result.update(response=get(port, "/sleep/2")))
    thread.start()
    time.sleep(0.5)
    server.signal(signal.SIGTERM)
    thread.join(10)
    assert result["response"][0] == 200
    assert server.exit_code(timeout=10) == 0
    assert not any(alive(pid) for pid in workers)
    assert "graceful shutdown" in server.log()


def test_sigquit_stops_at_once(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2), name="quit")
    wait_all_ready(server, 2)
    workers = server.workers()
    def slow_request():
        try:
            get(port, "/sleep/20", timeout=30)
        except OSError:
            pass  # cut off by the immediate stop, as intended
    threading.Thread(target=slow_request, daemon=True).start()
    time.sleep(0.5)
    started = time.monotonic()
    server.signal(signal.SIGQUIT)
    assert server.exit_code(timeout=10) == 0  # immediate: long before the 20 s request could finish
    assert time.monotonic() - started < 10
    assert not any(alive(pid) for pid in workers)


def test_harakiri_with_threads_judges_each_request_alone(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, extra="harakiri = 1\nthreads = 2"), name="harakiri2")
    wait_all_ready(server, 1)
    worker = server.workers()[0]
    # Overlapping requests of 0.6 s each for 3 s: none passes the limit, nobody is killed.
    loads = [Load(port, path="/sleep/0.6") for _ in range(2)]
    for load in loads:
        load.__enter__()
    time.sleep(3)
    for load in loads:
        load.stop()
    assert all(load.errors == [] for load in loads)
    assert server.workers() == [worker]
    assert "HARAKIRI" not in server.log()
    assert get(port, "/sleep/5")[0] == 504
    server.wait_log("HARAKIRI")


def test_workers_die_with_a_sigkilled_master_even_during_a_reload(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, import_sleep=0.5)
    server = start_liege(config(port, app, processes=2), name="orphans")
    wait_all_ready(server, 2)

    def slow_request():
        try:
            get(port, "/sleep/5")
        except OSError:
            pass  # cut off when the workers die, as intended
    for _ in range(2):
        threading.Thread(target=slow_request, daemon=True).start()
    time.sleep(0.5)  # both old workers are busy now
    server.signal(signal.SIGHUP)
    server.wait_log("waiting for the old worker to leave")
    workers = server.workers()
    assert len(workers) == 3  # two busy old ones and the loaded, not yet accepting, new one
    server.signal(signal.SIGKILL)
    server.exit_code(timeout=5)
    wait_until(lambda: not any(alive(pid) for pid in workers), 10, message="workers gone with the master")
