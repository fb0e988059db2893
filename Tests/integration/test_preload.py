"""lazy-apps = false through the real binary: one preloader imports the app, workers are forked from it."""
import os
import re
import signal
import socket
import threading
import time

import pytest

from conftest import APPS, VENV
from support import alive, cmdline, free_port, wait_until
from lifecycle_support import Load, get, pid_of, reloads_under_load, write_app


def config(port, app, processes=2, extra=""):
    return f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {app}
processes = {processes}
lazy-apps = false
{extra}
"""


def memory_mib(pid):
    """Fields of /proc/PID/smaps_rollup, in MiB."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1]) / 1024
    return fields


def pids_answering(port, count, requests=40):
    """The worker pids seen in `requests` answers, once `count` distinct ones answered."""
    seen = set()
    for _ in range(requests):
        seen.add(pid_of(get(port)[1]))
        if len(seen) >= count:
            break
    return seen


def workers_ready(server, count):
    """Waits until `count` workers said they are ready (`wait_all_ready` would count the preloader's line)."""
    server.wait_ready(count=count)
    wait_until(lambda: len(re.findall(r"\] worker \d+ ready \(pid", server.log())) >= count, 20,
               message=f"{count} workers ready")


def one_preloader(server):
    """The master's only preloader, which must be single-threaded (fork copies only the calling thread)."""
    wait_until(lambda: len(server.preloaders()) == 1, 20, message="one preloader")
    pid = server.preloaders()[0]
    assert len(os.listdir(f"/proc/{pid}/task")) == 1
    return pid


def test_django_workers_share_the_preloaded_pages(start_liege, django_project):
    port = free_port()
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
chdir = {django_project}
module = mysite.wsgi:application
virtualenv = {VENV}
processes = 4
lazy-apps = false
""", name="django")
    workers_ready(server, 4)
    preloader = one_preloader(server)
    workers = server.workers()
    assert len(workers) == 4 and preloader not in workers
    assert all(cmdline(pid).startswith("liege worker") for pid in workers)
    for _ in range(20):
        assert get(port, "/admin/login/")[0] == 200
    server.wait_log("forked worker", count=4)
    assert "spawned worker" not in server.log()
    for pid in workers:
        memory = memory_mib(pid)
        # Pages the preloader wrote before the fork (the imported Django) are shared copy-on-write: a lazy
        # worker has no such page (Shared_Dirty ~0) and its PSS is about 2/3 of its RSS.
        assert memory["Shared_Dirty"] > 8, memory
        assert memory["Pss"] < 0.5 * memory["Rss"], memory
        print(f"worker {pid}: Rss {memory['Rss']:.1f} MiB, Pss {memory['Pss']:.1f} MiB, "
              f"Shared_Dirty {memory['Shared_Dirty']:.1f} MiB, Private_Dirty {memory['Private_Dirty']:.1f} MiB")


class Collector:
    """A TCP listener that keeps every connection open and records the first line each one sends."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lines = []
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection):
        data = b""
        while not data.endswith(b"\n"):
            chunk = connection.recv(100)
            if not chunk:
                return
            data += chunk
        self.lines.append(data.decode().strip())

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.mark.parametrize("lazy", [False, True], ids=["preload", "lazy"])
def test_postfork_functions_reopen_the_socket_opened_at_import(start_liege, lazy):
    collector = Collector()
    port = free_port()
    try:
        server = start_liege(config(port, APPS / "postfork_app.py", processes=3,
                                    extra=f"env = COLLECTOR_PORT={collector.port}\nlazy-apps = {str(lazy).lower()}"),
                             name="postfork")
        workers_ready(server, 3)
        answers = {}

        def three_answered():
            fields = dict(field.split("=", 1) for field in get(port)[1].split())
            answers[int(fields["pid"])] = fields
            return len(answers) == 3

        wait_until(three_answered, 20, message="three workers answered")
        wait_until(lambda: len(collector.lines) == (3 if lazy else 1) + 3, 10, message="collector lines")
        imports = [int(line.split()[1]) for line in collector.lines if line.startswith("import")]
        postforks = [int(line.split()[1]) for line in collector.lines if line.startswith("postfork")]
        assert sorted(postforks) == sorted(answers), collector.lines
        if lazy:
            assert sorted(imports) == sorted(answers)   # each worker imported the app itself
        else:
            assert len(imports) == 1 and imports[0] not in answers   # once, by the preloader
            assert all(int(a["imported_by"]) == imports[0] for a in answers.values())
            assert all(a["at_fork_in_child"] == "True" for a in answers.values()), answers   # os.register_at_fork ran
        assert all(a["uwsgi_postfork"] == "True" for a in answers.values()), answers
        # Each worker talks over its own connection, not one inherited from the import.
        assert len({a["local_port"] for a in answers.values()}) == 3, answers
    finally:
        collector.close()


def test_app_starting_a_thread_at_import_is_not_forked(start_liege):
    port = free_port()
    server = start_liege(config(port, APPS / "thread_at_import.py", processes=2), name="threads")
    workers_ready(server, 2)
    server.wait_log("preloading refused")
    log = server.log()
    assert "2 threads" in log, log
    assert "forked worker" not in log and log.count("spawned worker") == 2
    wait_until(lambda: server.preloaders() == [], 10, message="the refusing preloader gone")
    status, body = get(port)
    assert status == 200 and "threads=2" in body   # a lazy worker with its own import-time thread


def test_broken_deploy_keeps_the_preloaded_workers_serving(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    server = start_liege(config(port, app, extra=f"touch-reload = {app}"), name="broken")
    workers_ready(server, 2)
    old_preloader = one_preloader(server)
    before = set(server.workers())
    with Load(port) as load:
        write_app(tmp_path, body="v2", broken=True)
        server.wait_log("reload aborted", timeout=20)
        time.sleep(0.3)
    log = server.log()
    assert "SyntaxError" in log and "the new preloader could not import the app" in log
    assert load.errors == [] and load.ok > 0
    assert all(body.startswith("v1") for body in load.bodies)
    assert set(server.workers()) == before and server.preloaders() == [old_preloader]
    write_app(tmp_path, body="v3")
    wait_until(lambda: get(port)[1].startswith("v3"), 20, message="v3 served after the fix")
    wait_until(lambda: server.preloaders() and old_preloader not in server.preloaders(), 20,
               message="the new preloader replaced the old one")


def test_reloads_under_load_refuse_nothing(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app, processes=2), name="reload")
    workers_ready(server, 2)
    load = reloads_under_load(server, port, 5)
    assert load.errors == [], load.errors[:5]
    assert server.log().count("the new preloader") == 5
    assert len(server.preloaders()) == 1


def two_forked_workers(start_liege, tmp_path, name):
    """A preloading server with its two forked workers ready: (server, port, its preloader)."""
    port = free_port()
    server = start_liege(config(port, write_app(tmp_path), processes=2), name=name)
    workers_ready(server, 2)
    server.wait_log("forked worker", count=2)
    return server, port, one_preloader(server)


def test_killed_worker_is_forked_again(start_liege, tmp_path):
    server, port, preloader = two_forked_workers(start_liege, tmp_path, "kill")
    victim = server.workers()[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: len(server.workers()) == 2 and victim not in server.workers(), 10, message="replacement")
    server.wait_log("forked worker", count=3)
    assert "spawned worker" not in server.log()
    assert server.preloaders() == [preloader]
    assert pids_answering(port, 2) == set(server.workers())


def test_killed_preloader_is_replaced_while_the_workers_keep_serving(start_liege, tmp_path):
    server, port, preloader = two_forked_workers(start_liege, tmp_path, "killpre")
    workers = set(server.workers())
    os.kill(preloader, signal.SIGKILL)
    wait_until(lambda: server.preloaders() and preloader not in server.preloaders(), 10, message="a new preloader")
    assert set(server.workers()) == workers
    assert pids_answering(port, 2) == workers
    server.wait_log("preloader ready", count=2)
    # The next worker comes from the new preloader.
    victim = sorted(workers)[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: len(server.workers()) == 2 and victim not in server.workers(), 10, message="replacement")
    server.wait_log("forked worker", count=3)
    assert "spawned worker" not in server.log()


def test_workers_reload_forks_again_without_importing(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="v1")
    trigger = tmp_path / "workers-reload"
    trigger.write_text("")
    server = start_liege(config(port, app, extra=f"touch-workers-reload = {trigger}"), name="wreload")
    workers_ready(server, 2)
    preloader = one_preloader(server)
    before = set(server.workers())
    write_app(tmp_path, body="v2")   # not imported: the preloader is reused
    os.utime(trigger)
    wait_until(lambda: server.log().count("reload done") == 1, 20, message="workers reload done")
    wait_until(lambda: len(server.workers()) == 2 and not set(server.workers()) & before, 20, message="new workers")
    assert server.preloaders() == [preloader]
    assert server.log().count("app loaded") == 1
    assert all(get(port)[1].startswith("v1") for _ in range(4))


def test_cheap_keeps_the_preloader_and_forks_on_the_first_request(start_liege, tmp_path):
    port = free_port()
    server = start_liege(config(port, write_app(tmp_path), processes=2, extra="cheap = true"), name="cheap", wait=False)
    server.wait_log("preloader ready")
    time.sleep(0.5)
    assert server.workers() == [] and len(server.preloaders()) == 1
    status, body = get(port)
    assert status == 200
    assert pid_of(body) in server.workers()
    assert "forked worker" in server.log()
    assert alive(server.preloaders()[0])


def test_an_app_that_cannot_be_imported_stops_the_start(start_liege):
    server = start_liege(config(free_port(), APPS / "broken.py"), name="broken-start", wait=False)
    assert server.exit_code(timeout=30) == 1
    log = server.log()
    assert "ModuleNotFoundError" in log and "app could not be loaded; exiting" in log
    assert "forked worker" not in log and "spawned worker" not in log


def test_need_app_false_falls_back_to_workers_that_retry_the_import(start_liege):
    port = free_port()
    server = start_liege(config(port, APPS / "broken.py", processes=1, extra="need-app = false"), name="retry")
    server.wait_log("need-app = false: workers load the app themselves")
    workers_ready(server, 1)
    assert get(port)[0] == 503
    assert "spawned worker" in server.log() and server.preloaders() == []
