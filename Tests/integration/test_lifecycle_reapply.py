"""A reload that re-reads the config re-applies the master's own set-up (SPEC.md §5.1, §5.4): touch files,
master-fifo, pidfiles, stats and metrics follow the new config once the reload commits; options that
cannot change in a running master are named in the log. Through the real binary."""
import os
import signal
import socket
import stat
import time

import pytest

from support import free_port, wait_until
from lifecycle_support import get, write_app, wait_all_ready
from stats_client import fetch_metrics, read_raw, read_stats


def ini_text(port, app, extra=""):
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nprocesses = 1\n{extra}\n"


class Reloader:
    """Rewrites a running master's ini and reloads it, waiting for the reload to finish or abort."""

    def __init__(self, server, ini, port, app):
        self.server, self.ini, self.port, self.app = server, ini, port, app

    def done(self):
        return self.server.log().count("reload done")

    def reload(self, extra, send=None, expect="reload done"):
        """Writes the ini with `extra`, then SIGHUP (or `send()`); waits for one more `expect` line."""
        before = self.server.log().count(expect)
        self.ini.write_text(ini_text(self.port, self.app, extra))
        if send is None:
            self.server.signal(signal.SIGHUP)
        else:
            send()
        wait_until(lambda: self.server.log().count(expect) > before, 30, message=expect)


def start(start_liege, tmp_path, name, extra=""):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(ini_text(port, app, extra), name=name)
    wait_all_ready(server, 1)
    return server, Reloader(server, tmp_path / f"{name}.ini", port, app)


def touch(path):
    path.write_text(str(time.time_ns()))


def fifo_send(path, commands):
    with open(path, "w") as fifo:
        fifo.write(commands)


def test_touch_reload_added_then_removed_by_reloads(start_liege, tmp_path):
    trigger = tmp_path / "reload.txt"
    trigger.write_text("")
    server, reloader = start(start_liege, tmp_path, "touchadd")
    reloader.reload(f"touch-reload = {trigger}")
    assert f"reload: touch-reload now watches {trigger}" in server.log()
    wait_until(lambda: len(server.workers()) == 1, 20, message="one worker")

    before = set(server.workers())
    done = reloader.done()
    touch(trigger)
    wait_until(lambda: reloader.done() == done + 1, 30, message="reload by the added touch-reload")
    wait_until(lambda: len(server.workers()) == 1 and not set(server.workers()) & before, 20, message="new worker")
    assert f"touch-reload: {trigger} changed" in server.log()

    reloader.reload("")
    assert "reload: touch-reload off" in server.log()
    wait_until(lambda: len(server.workers()) == 1, 20, message="one worker")
    workers, done, seen = set(server.workers()), reloader.done(), server.log().count("touch-reload: ")
    touch(trigger)
    time.sleep(3)   # the watcher reacts within milliseconds, its safety-net rescan every second
    assert server.log().count("touch-reload: ") == seen, server.log()
    assert reloader.done() == done
    assert set(server.workers()) == workers
    assert get(reloader.port)[0] == 200


def test_master_fifo_moves_with_the_config_and_stays_when_unchanged(start_liege, tmp_path):
    old, new = tmp_path / "old.fifo", tmp_path / "new.fifo"
    server, reloader = start(start_liege, tmp_path, "fifomove", f"master-fifo = {old}")
    inode = old.stat().st_ino
    reloader.reload(f"master-fifo = {old}\nprocesses = 1", send=lambda: fifo_send(old, "r"))
    assert old.stat().st_ino == inode, "an unchanged master-fifo is not made again"
    assert server.log().count(f"master-fifo {old} ready") == 1

    reloader.reload(f"master-fifo = {new}", send=lambda: fifo_send(old, "r"))
    assert not old.exists()
    assert stat.S_ISFIFO(new.stat().st_mode) and stat.S_IMODE(new.stat().st_mode) == 0o600
    assert f"reload: master-fifo {old} removed" in server.log()
    done = reloader.done()
    fifo_send(new, "r")
    wait_until(lambda: reloader.done() == done + 1, 30, message="reload through the new fifo")

    # A brutal reload commits at once, while the FIFO that asked for it is still being read.
    reloader.reload(f"master-fifo = {old}", send=lambda: fifo_send(new, "R"))
    assert not new.exists() and stat.S_ISFIFO(old.stat().st_mode)
    reloader.reload("", send=lambda: fifo_send(old, "r"))
    assert not old.exists()
    assert get(reloader.port)[0] == 200


def test_pidfiles_follow_the_config(start_liege, tmp_path):
    first, second, third = (tmp_path / n for n in ("a.pid", "b.pid", "c.pid"))
    server, reloader = start(start_liege, tmp_path, "pidmove", f"pidfile = {first}\npidfile2 = {second}")
    assert first.read_text() == second.read_text() == f"{server.pid}\n"
    reloader.reload(f"pidfile = {third}\npidfile2 = {second}")
    assert not first.exists()
    assert third.read_text() == f"{server.pid}\n"
    assert second.read_text() == f"{server.pid}\n"
    # A dropped pidfile that no longer holds our PID is someone else's: left alone.
    second.write_text("1\n")
    reloader.reload(f"pidfile = {third}")
    assert second.read_text() == "1\n"
    assert third.exists()


def test_an_aborted_reload_changes_nothing(start_liege, tmp_path):
    first, second = tmp_path / "a.pid", tmp_path / "b.pid"
    stats = free_port()
    server, reloader = start(start_liege, tmp_path, "abort", f"pidfile = {first}")
    write_app(tmp_path, broken=True)
    reloader.reload(f"pidfile = {second}\nstats = 127.0.0.1:{stats}\nuid = nobody", expect="reload aborted")
    time.sleep(1)
    assert first.exists() and not second.exists()
    assert "stats server on" not in server.log()
    assert "uid changed" not in server.log()
    with pytest.raises(OSError):
        read_stats(f"127.0.0.1:{stats}")
    assert get(reloader.port)[0] == 200


def test_stats_and_metrics_rebind_when_their_address_changes(start_liege, tmp_path):
    old, new, metrics = free_port(), free_port(), free_port()
    server, reloader = start(start_liege, tmp_path, "statsmove", f"stats = 127.0.0.1:{old}")
    assert read_stats(f"127.0.0.1:{old}")["pid"] == server.pid

    reloader.reload(f"stats = 127.0.0.1:{old}\nmetrics = 127.0.0.1:{metrics}")
    assert read_stats(f"127.0.0.1:{old}")["pid"] == server.pid
    assert server.log().count("stats server on") == 1, "an unchanged address is not bound again"
    status, _, page = fetch_metrics(metrics)
    assert status == 200 and "liege_workers 1" in page

    # Only stats-minified changed: the same address answers in the new style.
    reloader.reload(f"stats = 127.0.0.1:{old}\nstats-minified = true\nmetrics = 127.0.0.1:{metrics}")
    assert b"\n" not in read_raw(f"127.0.0.1:{old}").strip()
    assert read_stats(f"127.0.0.1:{old}")["pid"] == server.pid

    reloader.reload(f"stats = 127.0.0.1:{new}")
    assert read_stats(f"127.0.0.1:{new}")["pid"] == server.pid
    with pytest.raises(OSError):
        read_stats(f"127.0.0.1:{old}")
    with pytest.raises(OSError):
        fetch_metrics(metrics)


def test_a_stats_address_that_cannot_be_bound_keeps_the_old_one(start_liege, tmp_path):
    stats = free_port()
    server, reloader = start(start_liege, tmp_path, "statsbusy", f"stats = 127.0.0.1:{stats}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        reloader.reload(f"stats = 127.0.0.1:{busy}")
        assert f"cannot bind stats 127.0.0.1:{busy}" in server.log()
        assert f"127.0.0.1:{stats} keeps serving" in server.log()
        assert read_stats(f"127.0.0.1:{stats}")["pid"] == server.pid
    assert server.process.poll() is None
    assert get(reloader.port)[0] == 200


def test_options_that_need_a_restart_are_named(start_liege, tmp_path):
    server, reloader = start(start_liege, tmp_path, "restartonly")
    reloader.reload("uid = nobody\nlisten = 64")
    assert "reload: uid changed; it takes effect when the master restarts" in server.log()
    assert "reload: listen changed;" in server.log()
    assert f"Uid:\t{os.getuid()}\t" in open(f"/proc/{server.pid}/status").read()
    assert get(reloader.port)[0] == 200


def test_logto_added_by_a_reload_receives_the_log(start_liege, tmp_path):
    logfile = tmp_path / "added.log"
    server, reloader = start(start_liege, tmp_path, "logadd")
    reloader.ini.write_text(ini_text(reloader.port, reloader.app, f"logto = {logfile}"))
    server.signal(signal.SIGHUP)
    wait_until(lambda: logfile.exists() and "ready" in logfile.read_text(), 30,
               message="the new worker's lines in the log file the reload added")
    assert get(reloader.port)[0] == 200
    wait_until(lambda: "reload done" in logfile.read_text(), 30, message="the master's own lines follow")
