"""Helpers for the lifecycle tests: apps written per test, a bounded client load from a thread."""
import os
import signal
import threading
import time

import support


PID_APP = '''
import os, time
time.sleep(float(os.environ.get("IMPORT_SLEEP", "0")))
BODY = "v1"

def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path.startswith("/sleep/"):
        time.sleep(float(path.split("/")[2]))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [("%s pid=%d" % (BODY, os.getpid())).encode()]
'''


def write_app(directory, body="v1", import_sleep=0.0, broken=False):
    """Writes app.py (a WSGI app answering `BODY pid=PID`); returns its path."""
    text = PID_APP.replace('BODY = "v1"', f'BODY = "{body}"').replace(
        'float(os.environ.get("IMPORT_SLEEP", "0"))', repr(import_sleep))
    if broken:
        text += "\ndef broken(:\n"
    path = directory / "app.py"
    # A new inode and mtime each time, as an editor or `git pull` would leave it.
    temporary = directory / ".app.py.tmp"
    temporary.write_text(text)
    os.replace(temporary, path)
    return path


def get(port, path="/", timeout=30):
    """GET with the patience a reload needs: (status, body text)."""
    return support.get(port, path, timeout)


def pid_of(body):
    return int(body.rsplit("pid=", 1)[1])


class Load:
    """A continuous, bounded client load (one request at a time, new connection each) on a thread."""

    def __init__(self, port, path="/", max_seconds=300):
        self.port = port
        self.path = path
        self.ok = 0
        self.errors = []
        self.bodies = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + max_seconds
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _run(self):
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                status, body = get(self.port, self.path, timeout=30)
                if status == 200:
                    self.ok += 1
                    self.bodies.append(body)
                else:
                    self.errors.append(f"status {status}")
            except Exception as error:  # noqa: BLE001 - every failure counts
                self.errors.append(repr(error))

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=60)


def reloads_under_load(server, port, rounds, workers=2):
    """`rounds` SIGHUPs under a client load, each once the previous one is done and all `workers` pids
    changed; returns the finished Load (its `ok` and `errors`)."""
    with Load(port) as load:
        support.wait_until(lambda: load.ok > 5, 10, message="load running")
        for round_number in range(1, rounds + 1):
            before = set(server.workers())
            server.signal(signal.SIGHUP)
            support.wait_until(lambda: server.log().count("reload done") >= round_number, 30,
                               message=f"reload {round_number} done")
            support.wait_until(lambda: len(server.workers()) == workers and not set(server.workers()) & before, 30,
                               message=f"all worker pids changed in reload {round_number}")
        served_before_stop = load.ok
        support.wait_until(lambda: load.ok > served_before_stop + 5, 10, message="load served by the last workers")
    return load


def wait_all_ready(server, count, timeout=30):
    """Waits until `count` workers have logged that they are ready (not just been spawned)."""
    server.wait_ready(count=count, timeout=timeout)
    deadline = time.monotonic() + timeout
    while server.log().count(" ready (pid ") < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"fewer than {count} workers ready:\n{server.log()}")
        time.sleep(0.02)
