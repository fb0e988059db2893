"""Python exit handlers (docs/lifecycle.md, "Exit handlers"): every graceful worker stop runs the app's atexit
functions; the immediate paths (SIGINT/SIGQUIT to the master, harakiri, SIGKILL) run no Python."""
import signal
import time

from conftest import APPS
from support import alive, free_port, wait_until
from lifecycle_support import get, pid_of, wait_all_ready

APP = APPS / "atexit_app.py"


def config(port, tmp_path, processes=2, threads=2, mode="write", extra=""):
    return (f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {APP}\nprocesses = {processes}\n"
            f"threads = {threads}\nenv = ATEXIT_FILE={tmp_path / 'atexit.txt'}\nenv = ATEXIT_MODE={mode}\n"
            f"env = LOG_FILE={tmp_path / 'requests.log'}\n{extra}\n")


def exit_pids(tmp_path):
    path = tmp_path / "atexit.txt"
    if not path.exists():
        return []
    return [int(line.split("pid=")[1]) for line in path.read_text().splitlines() if "pid=" in line]


def wait_gone(pids, timeout=30):
    wait_until(lambda: not any(alive(pid) for pid in pids), timeout, message=f"workers {pids} gone")


def test_sighup_reload_runs_the_handlers_of_every_old_worker(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path), name="hup")
    wait_all_ready(server, 2)
    old = server.workers()
    assert len(old) == 2
    assert get(port)[0] == 200
    server.signal(signal.SIGHUP)
    server.wait_log("reload done", timeout=60)
    wait_gone(old)
    wait_until(lambda: set(old) <= set(exit_pids(tmp_path)), 30, message="every old worker ran its handlers")
    assert sorted(exit_pids(tmp_path)) == sorted(old)   # once each, and none of the new workers
    assert get(port)[0] == 200


def test_max_requests_recycling_runs_the_handlers(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path, processes=1, extra="max-requests = 3"), name="maxreq")
    wait_all_ready(server, 1)
    pids = [pid_of(get(port)[1]) for _ in range(3)]
    assert len(set(pids)) == 1
    wait_until(lambda: pids[0] in exit_pids(tmp_path), 30, message="the recycled worker ran its handlers")
    server.wait_log(f"worker 1 (pid {pids[0]}) exited with status 0")
    status, body = get(port)
    assert status == 200 and pid_of(body) != pids[0]


def test_sigterm_shutdown_runs_the_handlers_and_logging_shutdown_flushes_buffered_records(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path), name="term")
    wait_all_ready(server, 2)
    workers = server.workers()
    for index in range(6):
        assert get(port, f"/r{index}")[0] == 200
    # The MemoryHandler holds every record until it is closed: nothing reached the file yet.
    assert (tmp_path / "requests.log").read_text() == ""
    server.signal(signal.SIGTERM)
    assert server.exit_code(timeout=60) == 0
    assert sorted(exit_pids(tmp_path)) == sorted(workers)
    served = (tmp_path / "requests.log").read_text()
    assert sorted(line.split()[1] for line in served.splitlines()) == [f"/r{index}" for index in range(6)]


def test_sigint_immediate_stop_runs_no_python(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path), name="int")
    wait_all_ready(server, 2)
    workers = server.workers()
    assert get(port)[0] == 200
    server.signal(signal.SIGINT)
    assert server.exit_code(timeout=30) == 0
    wait_gone(workers)
    assert exit_pids(tmp_path) == []
    assert (tmp_path / "requests.log").read_text() == ""   # logging.shutdown did not run either


def test_harakiri_runs_no_python(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path, processes=1, threads=1, extra="harakiri = 1"), name="harakiri")
    wait_all_ready(server, 1)
    victim = server.workers()[0]
    assert get(port, "/sleep/30")[0] == 504
    wait_gone([victim])
    server.wait_log(f"worker 1 (pid {victim}) exited with status 23")
    assert victim not in exit_pids(tmp_path)


def test_a_handler_that_raises_does_not_prevent_the_exit(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path, processes=1, mode="raise"), name="raise")
    wait_all_ready(server, 1)
    worker = server.workers()[0]
    server.signal(signal.SIGHUP)
    server.wait_log(f"worker 1 (pid {worker}) exited with status 0", timeout=60)
    log = server.log()
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: atexit handler failed on purpose" in log
    assert exit_pids(tmp_path) == [worker]   # the older handler still ran after the failing one
    server.wait_log("reload done", timeout=60)
    assert get(port)[0] == 200


def test_a_hanging_handler_is_ended_by_the_masters_mercy_on_reload(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path, processes=1, mode="hang", extra="worker-reload-mercy = 2"),
                         name="hang")
    wait_all_ready(server, 1)
    worker = server.workers()[0]
    server.signal(signal.SIGHUP)
    wait_until(lambda: worker in exit_pids(tmp_path), 30, message="the handler started")
    server.wait_log(f"killing worker 1 (pid {worker}) with SIGKILL", timeout=60)
    server.wait_log(f"worker 1 (pid {worker}) killed by signal 9", timeout=30)
    server.wait_log("reload done", timeout=60)
    status, body = get(port)
    assert status == 200 and pid_of(body) != worker


def test_a_hanging_handler_of_a_self_recycled_worker_is_bounded_by_the_worker(start_liege, tmp_path):
    port = free_port()
    extra = "max-requests = 1\nworker-reload-mercy = 1"
    server = start_liege(config(port, tmp_path, processes=1, mode="hang", extra=extra), name="hangself")
    wait_all_ready(server, 1)
    worker = pid_of(get(port)[1])
    started = time.monotonic()
    server.wait_log("the Python exit handlers still run after 2s", timeout=60)
    server.wait_log(f"worker 1 (pid {worker}) exited with status 1", timeout=30)
    assert time.monotonic() - started >= 1.5   # not before the limit
    assert worker in exit_pids(tmp_path)
    status, body = get(port)
    assert status == 200 and pid_of(body) != worker


def test_workers_whose_master_died_run_the_handlers(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path), name="orphans")
    wait_all_ready(server, 2)
    workers = server.workers()
    assert get(port)[0] == 200
    server.signal(signal.SIGKILL)
    server.exit_code(timeout=30)
    wait_gone(workers)
    assert sorted(exit_pids(tmp_path)) == sorted(workers)


def test_skip_atexit_runs_no_handler(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, tmp_path, extra="skip-atexit = true\nskip-atexit-teardown = true"), name="skip")
    wait_all_ready(server, 2)
    assert get(port)[0] == 200
    server.signal(signal.SIGTERM)
    assert server.exit_code(timeout=60) == 0
    assert exit_pids(tmp_path) == []
