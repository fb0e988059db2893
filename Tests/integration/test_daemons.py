"""Attached daemons (SPEC.md §9): started with the master, restarted when they die (throttled when they
die again and again), restarted by a reload (attach-daemon) or left alone (smart-attach-daemon), stopped
at shutdown unless smart."""
import os
import pathlib
import re
import signal
import time

from conftest import APPS
from support import alive, free_port, wait_until


def app_ini(tmp_path, *lines):
    return "[uwsgi]\nhttp-socket = 127.0.0.1:%d\nwsgi-file = %s\nchdir = %s\n%s\n" % (
        free_port(), APPS / "hello.py", tmp_path, "\n".join(lines))


def read_pid(path):
    try:
        text = path.read_text().strip()
        return int(text) if text else None
    except FileNotFoundError:
        return None


def live_pid(path):
    pid = read_pid(path)
    return pid if pid and alive(pid) else None


def kill_if_alive(pid):
    if pid and alive(pid):
        os.kill(pid, signal.SIGKILL)


def test_daemons_follow_the_master(start_liege, tmp_path):
    dumb, smart = tmp_path / "dumb.pid", tmp_path / "smart.pid"
    server = start_liege(app_ini(
        tmp_path,
        # Runs in chdir (the relative pidfile lands in tmp_path); $$ is this shell, which the master started.
        "attach-daemon = echo hello from the daemon; echo $$ > dumb.pid; exec sleep 300",
        # Daemonizes itself: the launcher exits, the background sleep lives on and is named in the pidfile.
        f"smart-attach-daemon = {smart} sh -c 'sleep 300 & echo $! > {smart}'",
    ), name="daemons")
    smart_pid = None
    try:
        first = wait_until(lambda: live_pid(dumb), 10, message="attach-daemon pidfile")
        smart_pid = wait_until(lambda: live_pid(smart), 10, message="smart daemon pidfile")
        server.wait_log("[daemon 1] hello from the daemon")
        wait_until(lambda: f"[daemon 2] running with pid {smart_pid}" in server.log(), 5, message="smart pid noticed")

        # Killed: it comes back with a new pid.
        os.kill(first, signal.SIGKILL)
        second = wait_until(lambda: (live_pid(dumb) or 0) not in (0, first) and live_pid(dumb), 10, message="daemon back")
        assert not alive(first)

        # Reload: the dumb daemon is stopped and started again; the smart one is left alone.
        server.signal(signal.SIGHUP)
        third = wait_until(lambda: (live_pid(dumb) or 0) not in (0, second) and live_pid(dumb), 15, message="restart by reload")
        wait_until(lambda: not alive(second), 5, message="old daemon gone")
        server.wait_ready()
        time.sleep(1.5)
        assert live_pid(smart) == smart_pid
        assert "[daemon 2] restarted" not in server.log()

        # Graceful shutdown: the dumb daemon goes with the master, the smart one outlives it.
        server.signal(signal.SIGTERM)
        assert server.exit_code(30) == 0
        assert not alive(third)
        assert alive(smart_pid)

        # A new master adopts the live smart daemon instead of starting another one.
        again = start_liege(app_ini(tmp_path, f"smart-attach-daemon = {smart} sh -c 'sleep 300 & echo $! > {smart}'"),
                            name="adopter")
        again.wait_log(f"[daemon 1] adopted pid {smart_pid}")
        time.sleep(1.5)
        assert live_pid(smart) == smart_pid
        assert "[daemon 1] started" not in again.log()
    finally:
        kill_if_alive(smart_pid)
        kill_if_alive(live_pid(dumb))


def test_detached_smart_daemon_gets_its_pidfile_and_survives(start_liege, tmp_path):
    pidfile = tmp_path / "fg.pid"
    server = start_liege(app_ini(tmp_path, f"smart-attach-daemon2 = {pidfile} sleep 300"), name="detached")
    pid = None
    try:
        pid = wait_until(lambda: live_pid(pidfile), 10, message="pidfile written by liege")
        server.signal(signal.SIGHUP)
        server.wait_log("graceful reload")
        time.sleep(1.5)
        assert live_pid(pidfile) == pid
        server.signal(signal.SIGTERM)
        assert server.exit_code(30) == 0
        assert alive(pid)
    finally:
        if pid:
            os.killpg(pid, signal.SIGKILL)


def test_crash_looping_daemon_is_throttled(start_liege, tmp_path):
    server = start_liege(app_ini(tmp_path, "attach-daemon = echo spawn-marker; exit 1"), name="crashloop")
    time.sleep(10)
    spawns = len(re.findall(r"\[daemon 1\] spawn-marker", server.log()))
    # Starts at 0, 1, 3 and 7 s (1 s doubling): never a hot loop.
    assert 2 <= spawns <= 6, server.log()
    assert "throttling" in server.log()
    assert server.process.poll() is None


def test_attach_daemon2_with_stop_signal_and_immediate_stop(start_liege, tmp_path):
    pidfile = tmp_path / "d2.pid"
    server = start_liege(app_ini(
        tmp_path, "attach-daemon2 = cmd=trap 'echo got-usr1; exit 0' USR1; echo $$ > d2.pid; while :; do sleep 0.1; done,"
                  "stopsignal=USR1"), name="keyed")
    pid = wait_until(lambda: live_pid(pidfile), 10, message="attach-daemon2 pidfile")
    server.signal(signal.SIGTERM)
    assert server.exit_code(30) == 0
    assert "[daemon 1] got-usr1" in server.log()
    assert not alive(pid)


def test_invalid_daemon_line_is_a_located_config_error(liege_bin, tmp_path):
    import subprocess
    ini = tmp_path / "bad.ini"
    ini.write_text("[uwsgi]\nhttp-socket = :0\nattach-daemon2 = cmd=sleep 1,stopsgnal=TERM\n")
    result = subprocess.run([liege_bin, "--check-config", str(ini)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{ini}:3: invalid attach-daemon2 \"cmd=sleep 1,stopsgnal=TERM\": unknown key \"stopsgnal\"")


def test_touch_file_restarts_a_daemon(start_liege, tmp_path):
    pidfile, trigger = tmp_path / "t.pid", tmp_path / "restart.txt"
    trigger.write_text("1")
    server = start_liege(app_ini(tmp_path, f"attach-daemon2 = cmd=echo $$ > t.pid; exec sleep 300,touch={trigger}"),
                         name="touched")
    first = wait_until(lambda: live_pid(pidfile), 10, message="daemon pidfile")
    time.sleep(1.2)
    os.utime(trigger, (time.time() + 5, time.time() + 5))
    second = wait_until(lambda: (live_pid(pidfile) or 0) not in (0, first) and live_pid(pidfile), 10, message="restart")
    assert not alive(first)
    assert "touched: restarting" in server.log()
    server.signal(signal.SIGTERM)
    assert server.exit_code(30) == 0
    assert not alive(second)


def test_death_of_a_control_daemon_stops_the_master(start_liege, tmp_path):
    server = start_liege(app_ini(tmp_path, "attach-daemon2 = cmd=sleep 2; exit 3,control=1"), name="control", wait=False)
    assert server.exit_code(30) == 1
    assert "control daemon died" in server.log()
    assert "[daemon 1] restarted" not in server.log()


def test_reload_with_a_changed_config_restarts_daemons_with_the_new_command(start_liege, tmp_path):
    version, pidfile = tmp_path / "version.txt", tmp_path / "v.pid"
    base = app_ini(tmp_path, "attach-daemon = echo %(v) > version.txt; echo $$ > v.pid; exec sleep 300")
    server = start_liege(base.replace("[uwsgi]\n", "[uwsgi]\nv = one\n"), name="changing")
    wait_until(lambda: version.exists() and version.read_text().strip() == "one", 10, message="first daemon")
    first = wait_until(lambda: live_pid(pidfile), 10, message="first pid")
    (tmp_path / "changing.ini").write_text(base.replace("[uwsgi]\n", "[uwsgi]\nv = two\n"))
    server.signal(signal.SIGHUP)
    wait_until(lambda: version.read_text().strip() == "two", 15, message="daemon with the new command")
    assert not alive(first)
    server.signal(signal.SIGTERM)
    assert server.exit_code(30) == 0


def test_daemon_runs_as_its_uid_and_gid(start_liege, tmp_path):
    if os.geteuid() != 0:
        import pytest
        pytest.skip("switching users needs root")
    import grp
    import pwd
    import shutil
    import tempfile
    shared = tempfile.mkdtemp(prefix="liege-daemon-uid-")   # pytest's tmp_path is closed to other users
    try:
        os.chmod(shared, 0o777)
        server = start_liege(app_ini(tmp_path, "attach-daemon2 = cmd=id -u > ids.txt; id -g >> ids.txt; exec sleep 300,"
                                               f"uid=nobody,gid=nogroup,chdir={shared}"), name="users")
        ids = pathlib.Path(shared) / "ids.txt"
        wait_until(lambda: ids.exists() and len(ids.read_text().split()) == 2, 10, message="ids written")
        assert ids.read_text().split() == [str(pwd.getpwnam("nobody").pw_uid), str(grp.getgrnam("nogroup").gr_gid)]
        server.signal(signal.SIGTERM)
        assert server.exit_code(30) == 0
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_attach_daemons_die_with_a_sigkilled_master(start_liege, tmp_path):
    shell, background = tmp_path / "sh.pid", tmp_path / "bg.pid"
    server = start_liege(app_ini(tmp_path, "attach-daemon = sleep 300 & echo $! > bg.pid; echo $$ > sh.pid; wait"),
                         name="orphans")
    shell_pid = wait_until(lambda: live_pid(shell), 10, message="daemon shell")
    background_pid = wait_until(lambda: live_pid(background), 10, message="daemon's background child")
    server.process.kill()
    server.process.wait(timeout=10)
    wait_until(lambda: not alive(shell_pid) and not alive(background_pid), 10, message="daemon group gone with the master")
