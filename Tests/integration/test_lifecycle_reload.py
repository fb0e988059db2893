"""Graceful reload (SPEC.md §5.1) through the real binary: SIGHUP, touch-reload, broken deploys, chain."""
import re
import signal
import time

from support import free_port, wait_until
from lifecycle_support import Load, get, pid_of, reloads_under_load, write_app, wait_all_ready


def config(port, app, processes=2, extra=""):
    return f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {app}
processes = {processes}
{extra}
"""


def reloads_done(server):
    return server.log().count("reload done")


def test_twenty_sighup_reloads_under_load_refuse_nothing(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app), name="reload20")
    wait_all_ready(server, 2)
    load = reloads_under_load(server, port, 20)
    assert load.errors == [], load.errors[:5]
    assert load.ok > 100
    assert server.log().count("SIGHUP: graceful reload requested") == 20


def test_touch_reload_serves_the_edited_app(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    server = start_liege(config(port, app, extra=f"touch-reload = {app}"), name="touch")
    wait_all_ready(server, 2)
    assert get(port)[1].startswith("v1")
    old = set(server.workers())
    write_app(tmp_path, body="v2")
    wait_until(lambda: get(port)[1].startswith("v2"), 20, message="v2 served")
    assert "touch-reload" in server.log()
    wait_until(lambda: reloads_done(server) == 1 and not set(server.workers()) & old, 20, message="old workers gone")
    assert all(get(port)[1].startswith("v2") for _ in range(6))


def test_broken_deploy_keeps_old_workers_serving(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    server = start_liege(config(port, app, extra=f"touch-reload = {app}"), name="broken")
    wait_all_ready(server, 2)
    before = set(server.workers())
    with Load(port) as load:
        write_app(tmp_path, body="v2", broken=True)
        server.wait_log("reload aborted", timeout=20)
        time.sleep(0.3)
    assert "SyntaxError" in server.log()
    assert load.errors == []
    assert all(body.startswith("v1") for body in load.bodies)
    assert set(server.workers()) == before
    # A fixed deploy is picked up again.
    write_app(tmp_path, body="v3")
    wait_until(lambda: get(port)[1].startswith("v3"), 20, message="v3 served after the fix")


def test_invalid_config_on_reload_changes_nothing(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app), name="badconf")
    wait_all_ready(server, 2)
    before = set(server.workers())
    ini = tmp_path / "badconf.ini"
    ini.write_text(ini.read_text() + "procesess = 3\n")
    server.signal(signal.SIGHUP)
    server.wait_log("reload aborted: the config is invalid")
    assert 'did you mean "processes"' in server.log()
    time.sleep(0.3)
    assert set(server.workers()) == before
    assert get(port)[0] == 200


def test_reload_applies_a_changed_config(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=1), name="grow")
    wait_all_ready(server, 1)
    ini = tmp_path / "grow.ini"
    ini.write_text(ini.read_text().replace("processes = 1", "processes = 3"))
    server.signal(signal.SIGHUP)
    wait_until(lambda: reloads_done(server) == 1 and len(server.workers()) == 3, 20, message="three workers")
    assert get(port)[0] == 200


def test_reload_serves_new_workers_after_the_import(start_liege, tmp_path):
    """SIGHUP, then every request succeeds until a new worker (1 s import) answers."""
    port = free_port()
    app = write_app(tmp_path, import_sleep=1.0)
    server = start_liege(config(port, app), name="timing")
    wait_all_ready(server, 2)
    old = set(server.workers())
    started = time.monotonic()
    server.signal(signal.SIGHUP)
    while True:
        status, body = get(port)
        assert status == 200
        if pid_of(body) not in old:
            break
    elapsed = time.monotonic() - started
    # The new worker's own start (interpreter + 1 s import), as the master measured it: on a busy shared
    # machine that varies, so the reload's overhead is checked on top of it.
    loaded = re.search(r"loaded the app in (\d+) ms", server.log())
    assert loaded, server.log()
    load_seconds = int(loaded.group(1)) / 1000
    assert 1.0 <= load_seconds <= elapsed
    # How close `elapsed` comes to `load_seconds` is a speed, measured by `make bench`, never asserted here.


def test_reload_during_a_reload_is_coalesced_into_one_more(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, import_sleep=0.5)
    server = start_liege(config(port, app), name="coalesce")
    wait_all_ready(server, 2)
    for _ in range(4):
        server.signal(signal.SIGHUP)
        time.sleep(0.05)
    wait_until(lambda: reloads_done(server) == 2, 30, message="two reloads")
    time.sleep(1.5)
    assert reloads_done(server) == 2
    assert "one more graceful reload follows it" in server.log()


def test_chain_reload_replaces_one_worker_at_a_time(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    touch = tmp_path / "chain.touch"
    server = start_liege(config(port, app, processes=3, extra=f"touch-chain-reload = {touch}"), name="chain")
    wait_all_ready(server, 3)
    before = set(server.workers())
    with Load(port) as load:
        write_app(tmp_path, body="v2")
        touch.write_text("go")
        wait_until(lambda: reloads_done(server) == 1, 30, message="chain done")
        wait_until(lambda: len(server.workers()) == 3 and not set(server.workers()) & before, 20, message="all replaced")
    assert load.errors == []
    assert get(port)[1].startswith("v2")
    assert "chain reload" in server.log()
    # At most one old worker was stopped at a time: each stop came after its replacement loaded.
    log = server.log()
    assert log.count("exited with status 0 (chain reload)") == 3


def test_broken_deploy_with_need_app_off_is_refused_too(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    server = start_liege(config(port, app, extra="need-app = false"), name="needapp")
    wait_all_ready(server, 2)
    write_app(tmp_path, body="v2", broken=True)
    server.signal(signal.SIGHUP)
    server.wait_log("reload aborted: the new worker could not load the app")
    assert all(get(port)[1].startswith("v1") for _ in range(4))


def test_reload_lets_a_busy_worker_finish_its_request(start_liege, tmp_path):
    import threading
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app), name="busy")
    wait_all_ready(server, 2)
    result = {}
    slow = threading.Thread(target=lambda: result.update(response=get(port, "/sleep/2")))
    slow.start()
    time.sleep(0.3)
    server.signal(signal.SIGHUP)
    # The other slot is refilled while the slow request still runs, and serves.
    server.wait_log("reload: new worker", timeout=10)
    status, body = get(port)
    assert status == 200
    slow.join(10)
    assert result["response"][0] == 200
    wait_until(lambda: reloads_done(server) == 1, 10, message="reload done after the slow request")


def test_worker_reload_mercy_kills_a_request_that_takes_too_long(start_liege, tmp_path):
    import threading
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=1, extra="worker-reload-mercy = 1"), name="mercy")
    wait_all_ready(server, 1)

    def slow_request():
        try:
            get(port, "/sleep/20")
        except OSError:
            pass  # cut off by the mercy limit, as intended
    threading.Thread(target=slow_request, daemon=True).start()
    time.sleep(0.3)
    started = time.monotonic()
    server.signal(signal.SIGHUP)
    wait_until(lambda: reloads_done(server) == 1, 15, message="reload done")
    assert time.monotonic() - started < 15  # the mercy (1 s) cut it short, long before the 20 s request ended
    assert "with SIGKILL" in server.log()
    assert get(port)[0] == 200


def test_the_loaded_worker_does_not_wait_behind_a_long_request(start_liege, tmp_path):
    import threading
    port = free_port()
    app = write_app(tmp_path, import_sleep=1.0)
    server = start_liege(config(port, app), name="behind")
    wait_all_ready(server, 2)
    old = set(server.workers())
    slow_done = threading.Event()
    def slow_request():
        try:
            get(port, "/sleep/15")
        except OSError:
            pass  # the test may end (and stop the server) first
        slow_done.set()
    threading.Thread(target=slow_request, daemon=True).start()
    time.sleep(0.3)
    server.signal(signal.SIGHUP)
    while pid_of(get(port)[1]) in old:
        pass
    # A new worker (one import) answered while the long request is still running: it took the idle
    # worker's slot instead of waiting behind the busy one.
    assert not slow_done.is_set()


def test_chain_reload_rereads_the_config(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    fifo = tmp_path / "chain.fifo"
    server = start_liege(config(port, app, processes=3, extra=f"master-fifo = {fifo}"), name="chainconf")
    wait_all_ready(server, 3)
    ini = tmp_path / "chainconf.ini"
    ini.write_text(ini.read_text().replace("processes = 3", "processes = 2"))
    with Load(port) as load:
        with open(fifo, "w") as handle:
            handle.write("c")
        wait_until(lambda: reloads_done(server) == 1, 30, message="chain done")
        wait_until(lambda: len(server.workers()) == 2, 10, message="two workers left")
    assert load.errors == []
