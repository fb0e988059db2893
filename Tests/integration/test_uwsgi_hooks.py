"""uWSGI's hooks through the real binary (issue 16): every phase runs, in order, with `env` and `chdir`;
a failing hook stops the start; the Docker idiom `unix_signal:15 gracefully_kill_them_all` is accepted."""
import pathlib
import signal
import subprocess

from support import free_port, http_request, wait_until

HELLO = pathlib.Path(__file__).resolve().parents[2] / "Tests" / "Fixtures" / "apps" / "hello.py"


def test_hooks_run_in_phase_order(start_liege, tmp_path):
    order = tmp_path / "order.txt"
    work = tmp_path / "work"
    work.mkdir()
    port = free_port()
    server = start_liege(f"""[uwsgi]
http-socket = 127.0.0.1:{port}
wsgi-file = {HELLO}
chdir = {work}
env = STAGE=blue
hook-post-app = exec:echo post-app >> {order}
hook-pre-app = exec:echo pre-app $(pwd) >> {order}
exec-pre-app = echo exec-pre-app >> {order}
hook-master-start = unix_signal:15 gracefully_kill_them_all
hook-master-start = exec:echo master-start $STAGE >> {order}
hook-as-user = exec:echo as-user >> {order}
hook-as-root = exec:echo as-root >> {order}
hook-as-root = call:sync
hook-master-start = print:hooks say hello
exec-as-user-atexit = echo at-exit >> {order}
hook-asap = exec:echo asap >> {order}
""")
    assert http_request(port)[2] == b"Hello, World!"
    wait_until(lambda: "post-app" in order.read_text(), message="post-app hook")
    assert order.read_text().splitlines() == [
        "asap", "as-root", "as-user", "master-start blue", f"pre-app {work}", "exec-pre-app", "post-app",
    ]
    assert "hooks say hello" in server.log()
    server.signal(signal.SIGTERM)
    assert server.exit_code() == 0
    assert "graceful shutdown" in server.log()
    assert order.read_text().splitlines()[-1] == "at-exit"


def test_a_failing_hook_stops_the_start(liege_bin, tmp_path):
    ini = tmp_path / "fail.ini"
    ini.write_text(f"""[uwsgi]
http-socket = 127.0.0.1:{free_port()}
wsgi-file = {HELLO}
hook-as-root = exec:exit 3
hook-master-start = exec:touch {tmp_path}/never
""")
    result = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert 'hook as-root: "exit 3" exited with status 3' in result.stderr
    assert not (tmp_path / "never").exists()
    ini.write_text(f"[uwsgi]\nhttp-socket = 127.0.0.1:{free_port()}\nwsgi-file = {HELLO}\nhook-master-start = call:no_such_function_here\n")
    result = subprocess.run([liege_bin, "--ini", str(ini)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert 'no function "no_such_function_here"' in result.stderr


def test_signal_remapping_hooks_other_than_the_default_are_refused(liege_bin, tmp_path):
    ini = tmp_path / "sig.ini"
    ini.write_text(f"[uwsgi]\nwsgi-file = {HELLO}\nhook-master-start = unix_signal:1 gracefully_kill_them_all\n")
    result = subprocess.run([liege_bin, "--check-config", str(ini)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "sig.ini:3:" in result.stderr and "SIGTERM: graceful stop" in result.stderr
