"""Adaptive worker counts (SPEC.md §8 cheaper) through the real binary: spare, backlog, manual (fifo)."""
import threading
import time

from support import free_port, wait_until
from lifecycle_support import Load, get, pid_of, write_app


def config(port, app, processes, extra):
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nprocesses = {processes}\n{extra}\n"


def busy_workers(server):
    return len(server.workers())


def test_spare_grows_under_load_and_falls_back_to_cheaper(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, 4, "cheaper = 1\ncheaper-overload = 1"), name="spare")
    assert len(server.workers()) == 1
    loads = [Load(port, "/sleep/0.3", max_seconds=120) for _ in range(6)]
    for load in loads:
        load.__enter__()
    try:
        wait_until(lambda: len(server.workers()) >= 3, 60, message="workers rising toward processes")
    finally:
        for load in loads:
            load.stop()
    errors = [e for load in loads for e in load.errors]
    assert errors == [], errors[:5]
    assert "cheaper: all" in server.log()
    wait_until(lambda: len(server.workers()) == 1, 90, message="back to cheaper")
    assert "stopping an idle worker" in server.log()
    assert get(port)[0] == 200


def test_backlog_grows_while_connections_wait(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, 3, "cheaper = 1\ncheaper-algo = backlog\ncheaper-overload = 2"), name="backlog")
    assert len(server.workers()) == 1
    loads = [Load(port, "/sleep/0.5", max_seconds=120) for _ in range(10)]
    for load in loads:
        load.__enter__()
    try:
        wait_until(lambda: len(server.workers()) >= 2, 60, message="a worker added for the backlog")
    finally:
        for load in loads:
            load.stop()
    assert [e for load in loads for e in load.errors] == []
    assert "waiting in the backlog" in server.log()


def test_manual_fifo_plus_minus_and_go_cheap(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    fifo = tmp_path / "m.fifo"
    server = start_liege(config(port, app, 3, f"cheaper = 1\ncheaper-algo = manual\nmaster-fifo = {fifo}"), name="manual")
    assert len(server.workers()) == 1

    def send(command):
        with open(fifo, "w") as handle:
            handle.write(command)

    send("+")
    wait_until(lambda: len(server.workers()) == 2, 30, message="fifo +")
    send("+")
    wait_until(lambda: len(server.workers()) == 3, 30, message="fifo + again")
    send("+")
    server.wait_log("already at processes")
    send("-")
    wait_until(lambda: len(server.workers()) == 2, 30, message="fifo -")
    send("C")
    wait_until(lambda: server.workers() == [], 30, message="fifo C: cheap")
    send("s")
    server.wait_log("mode cheap")
    status, _ = get(port)
    assert status == 200
    wait_until(lambda: len(server.workers()) == 1, 30, message="woken with cheaper workers")
    time.sleep(0.2)
    send("s")
    wait_until(lambda: server.log().count("mode normal") >= 1, 10, message="mode normal")


def test_shrinking_never_stops_a_busy_worker(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    fifo = tmp_path / "m.fifo"
    server = start_liege(config(port, app, 3, f"cheaper = 1\ncheaper-initial = 3\ncheaper-algo = manual\nmaster-fifo = {fifo}"),
                         name="busy")
    wait_until(lambda: server.log().count(" ready (pid ") >= 3, 30, message="three workers ready")
    before = sorted(server.workers())
    answers = []
    slow = [threading.Thread(target=lambda: answers.append(get(port, "/sleep/4")), daemon=True) for _ in range(3)]
    for thread in slow:
        thread.start()
    wait_until(lambda: len(busy_pids(server, fifo)) == 3, 10, interval=0.2, message="every worker on a long request")
    with open(fifo, "w") as handle:
        handle.write("-")
    server.wait_log("(3 -> 2)")
    time.sleep(1.5)   # more than one tick of the master: a busy worker must not have been asked to stop
    with open(fifo, "w") as handle:
        handle.write("+")
    server.wait_log("(2 -> 3)")
    for thread in slow:
        thread.join(30)
    assert [status for status, _ in answers] == [200, 200, 200]
    time.sleep(1.5)
    assert sorted(server.workers()) == before
    assert "exited" not in server.log()


def busy_pids(server, fifo):
    """The pids of the workers the master's stats (fifo `s`) show busy."""
    before = len(server.log())
    with open(fifo, "w") as handle:
        handle.write("s")
    time.sleep(0.3)
    return [int(line.split("(pid ")[1].split(")")[0]) for line in server.log()[before:].splitlines() if "busy for" in line]


def test_chain_reload_replaces_only_the_slots_in_use(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    fifo = tmp_path / "m.fifo"
    server = start_liege(config(port, app, 3, f"cheaper = 1\nmaster-fifo = {fifo}"), name="chain", wait=False)
    server.wait_ready(count=1)
    old = server.workers()
    assert len(old) == 1
    write_app(tmp_path, body="v2")
    with open(fifo, "w") as handle:
        handle.write("c")
    server.wait_log("reload done (chain reload)", timeout=30)
    wait_until(lambda: len(server.workers()) == 1 and server.workers() != old, 20, message="one new worker")
    status, body = get(port)
    assert status == 200 and body.startswith("v2")
