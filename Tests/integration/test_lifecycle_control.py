"""Control (SPEC.md §5.3, §5.4) and logs (§6) through the real binary: fifo, pidfiles, signals, uid/gid."""
import os
import pathlib
import pwd
import grp
import shutil
import signal
import stat
import subprocess
import tempfile
import time

import pytest

from support import alive, free_port, wait_until
from lifecycle_support import Load, get, pid_of, write_app, wait_all_ready


def config(port, app, processes=2, extra=""):
    return f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nprocesses = {processes}\n{extra}\n"


def fifo_send(path, commands):
    with open(path, "w") as fifo:
        fifo.write(commands)


def test_master_fifo_commands(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    fifo = tmp_path / "master.fifo"
    pidfile = tmp_path / "m.pid"
    server = start_liege(config(port, app, extra=f"master-fifo = {fifo}\npidfile = {pidfile}\nvacuum = true"),
                         name="fifo")
    wait_all_ready(server, 2)
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_IMODE(fifo.stat().st_mode) == 0o600
    for command, kind in (("r", "graceful reload"), ("w", "workers reload"), ("c", "chain reload"),
                          ("W", "brutal workers reload"), ("R", "brutal reload")):
        before = set(server.workers())
        done = server.log().count("reload done")
        fifo_send(fifo, command)
        wait_until(lambda: server.log().count("reload done") == done + 1, 20, message=f"fifo {command}")
        wait_until(lambda: len(server.workers()) == 2 and not set(server.workers()) & before, 20,
                   message=f"new workers after {command}")
        assert f"master-fifo {command}: {kind}" in server.log()
    fifo_send(fifo, "s")
    server.wait_log("stats: worker 2")
    fifo.unlink()
    wait_until(lambda: fifo.exists(), 5, message="fifo made again after removal")
    pidfile.unlink()
    fifo_send(fifo, "P")
    wait_until(lambda: pidfile.exists(), 5, message="pidfile rewritten")
    assert pidfile.read_text() == f"{server.pid}\n"
    fifo_send(fifo, "+x")
    server.wait_log("master-fifo +: cheaper is off")
    server.wait_log("unknown command")
    fifo_send(fifo, "q")
    assert server.exit_code(timeout=20) == 0
    assert not fifo.exists() and not pidfile.exists()


def test_fifo_pause_and_resume(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    fifo = tmp_path / "master.fifo"
    server = start_liege(config(port, app, processes=1, extra=f"master-fifo = {fifo}"), name="pause")
    wait_all_ready(server, 1)
    fifo_send(fifo, "p")
    wait_until(lambda: server.workers() == [], 10, message="paused")
    fifo_send(fifo, "p")
    assert get(port)[0] == 200


def test_reload_and_stop_through_the_pidfile(start_liege, liege_bin, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    pidfile = tmp_path / "app.pid"
    server = start_liege(config(port, app, extra=f"pidfile = {pidfile}"), name="pidctl")
    wait_all_ready(server, 2)
    assert pidfile.read_text() == f"{server.pid}\n"
    before = set(server.workers())
    subprocess.run([liege_bin, "--reload", str(pidfile)], check=True, timeout=10)
    wait_until(lambda: "reload done" in server.log() and len(server.workers()) == 2
               and not set(server.workers()) & before, 20, message="reload via pidfile")
    subprocess.run([liege_bin, "--stop", str(pidfile)], check=True, timeout=10)
    assert server.exit_code(timeout=20) == 0
    missing = subprocess.run([liege_bin, "--stop", str(tmp_path / "nope.pid")], capture_output=True, timeout=10)
    assert missing.returncode == 1 and b"nope.pid" in missing.stderr


def test_sigusr1_logs_stats_with_the_busy_request(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app), name="stats")
    wait_all_ready(server, 2)
    with Load(port, path="/sleep/1"):
        time.sleep(0.5)
        server.signal(signal.SIGUSR1)
        server.wait_log("GET /sleep/1")
    assert "stats: worker 1" in server.log() and "stats: worker 2" in server.log()


def test_log_reopen_after_rename_reaches_the_workers(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    logfile = tmp_path / "app.log"
    server = start_liege(config(port, app, extra=f"logto = {logfile}"), name="reopen", wait=False)
    wait_until(lambda: logfile.exists() and logfile.read_text().count("ready") >= 2, 20, message="workers ready")
    get(port, "/before")
    wait_until(lambda: "GET /before" in logfile.read_text(), 5, message="request logged")
    rotated = tmp_path / "app.log.1"
    os.rename(logfile, rotated)
    server.signal(signal.SIGUSR2)
    wait_until(lambda: logfile.exists(), 5, message="log reopened")
    for _ in range(4):
        get(port, "/after")
    wait_until(lambda: "GET /after" in logfile.read_text(), 5, message="worker lines in the new file")
    assert "GET /after" not in rotated.read_text()
    assert "log file reopened" in logfile.read_text()


def test_log_rotation_logdate_and_fifo_rotate(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    logfile = tmp_path / "app.log"
    backup = tmp_path / "app.old"
    fifo = tmp_path / "master.fifo"
    extra = f"logto = {logfile}\nlog-maxsize = 2000\nlog-backupname = {backup}\nlogdate = [%%Y]\nmaster-fifo = {fifo}"
    start_liege(config(port, app, extra=extra), name="rotate", wait=False)
    wait_until(lambda: logfile.exists() and logfile.read_text().count("ready") >= 2, 20, message="workers ready")
    for _ in range(30):
        get(port, "/grow")
    wait_until(lambda: backup.exists(), 10, message="rotated by size")
    year = time.strftime("[%Y] - ")
    assert any(line.startswith(year) for line in backup.read_text().splitlines())
    backup.unlink()
    fifo_send(fifo, "L")
    wait_until(lambda: backup.exists(), 10, message="rotated by fifo L")


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping privileges needs root")
def test_uid_gid_drop_to_nobody(start_liege):
    port = free_port()
    directory = pathlib.Path(tempfile.mkdtemp(prefix="liege-uid-"))
    try:
        directory.chmod(0o755)
        app = write_app(directory)
        app.chmod(0o644)
        group = grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
        socket_path = directory / "app.sock"
        server = start_liege(config(port, app, extra=f"uid = nobody\ngid = {group}\nsocket = {socket_path}\n"
                                    "chown-socket = nobody"), name="nobody")
        wait_all_ready(server, 2)
        nobody = pwd.getpwnam("nobody")
        for pid in [server.pid, *server.workers()]:
            status = pathlib.Path(f"/proc/{pid}/status").read_text()
            uid_line = next(line for line in status.splitlines() if line.startswith("Uid:"))
            gid_line = next(line for line in status.splitlines() if line.startswith("Gid:"))
            assert uid_line.split()[1:] == [str(nobody.pw_uid)] * 4, uid_line
            assert gid_line.split()[1:] == [str(nobody.pw_gid)] * 4, gid_line
        assert socket_path.stat().st_uid == nobody.pw_uid
        assert get(port)[0] == 200
        assert "running as root without uid" not in server.log()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_root_without_uid_warns(start_liege, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("only root gets the warning")
    port = free_port()
    server = start_liege(config(port, write_app(tmp_path)), name="rootwarn")
    assert "running as root without uid" in server.log()


def test_unknown_user_fails_the_start(liege_bin, tmp_path):
    port = free_port()
    ini = tmp_path / "baduser.ini"
    ini.write_text(config(port, write_app(tmp_path), extra="uid = no-such-user-here"))
    result = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, timeout=20)
    assert result.returncode == 1
    assert b"no-such-user-here" in result.stderr


def test_vacuum_removes_the_unix_socket_pidfiles_and_fifo_on_exit(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    sock, pid1, pid2, fifo = (tmp_path / n for n in ("app.sock", "a.pid", "b.pid", "m.fifo"))
    server = start_liege(config(port, app, extra=f"socket = {sock}\npidfile = {pid1}\npidfile2 = {pid2}\n"
                                f"master-fifo = {fifo}\nvacuum = true"), name="vacuum")
    wait_all_ready(server, 2)
    assert sock.exists() and pid1.exists() and pid2.exists() and fifo.exists()
    server.signal(signal.SIGHUP)
    wait_until(lambda: "reload done" in server.log(), 20, message="reload done")
    assert sock.exists() and pid1.exists(), "a reload keeps them"
    server.signal(signal.SIGTERM)
    assert server.exit_code(timeout=20) == 0
    assert not any(path.exists() for path in (sock, pid1, pid2, fifo))


def test_reload_binds_a_new_address_and_closes_the_dropped_one(start_liege, tmp_path):
    port, new_port = free_port(), free_port()
    app = write_app(tmp_path)
    server = start_liege(config(port, app), name="rebind")
    wait_all_ready(server, 2)
    ini = tmp_path / "rebind.ini"
    ini.write_text(ini.read_text().replace(str(port), str(new_port)))
    server.signal(signal.SIGHUP)
    wait_until(lambda: "reload done" in server.log(), 20, message="reload done")
    assert get(new_port)[0] == 200
    with pytest.raises(OSError):
        get(port, timeout=2)


def test_touch_workers_reload_logreopen_logto2_and_removal(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path)
    workers_touch, reopen_touch, reload_touch = (tmp_path / n for n in ("workers.touch", "reopen.touch", "reload.touch"))
    reload_touch.write_text("")
    logfile = tmp_path / "late.log"
    extra = (f"touch-workers-reload = {workers_touch}\ntouch-logreopen = {reopen_touch}\n"
             f"touch-reload = {reload_touch}\nlogto2 = {logfile}")
    server = start_liege(config(port, app, extra=extra), name="touches", wait=False)
    wait_until(lambda: logfile.exists() and logfile.read_text().count(" ready (pid ") >= 2, 20, message="ready")
    assert f"touch-workers-reload file {workers_touch} does not exist" in logfile.read_text()
    workers_touch.write_text("now")
    wait_until(lambda: "reload done (workers reload)" in logfile.read_text(), 20, message="workers reload")
    os.rename(logfile, tmp_path / "late.log.1")
    reopen_touch.write_text("now")
    wait_until(lambda: logfile.exists() and "touch-logreopen: log file reopened" in logfile.read_text(), 10,
               message="log reopened by touch")
    reload_touch.unlink()
    wait_until(lambda: "was removed (nothing to do)" in logfile.read_text(), 10, message="removal logged")
    time.sleep(0.5)
    assert "reload (graceful reload" not in logfile.read_text()
    assert server.process.poll() is None
