"""Opt-in measurement, not a check: reload under load side by side, liege (SIGHUP), uWSGI (SIGHUP),
gunicorn (SIGHUP).

App: imports in 1 s (time.sleep(1) at import), answers `pid=PID`. 2 workers. One client thread sends
requests back to back (a new connection each) for the whole run; every failure (refused, reset, non-200)
counts. For each of ROUNDS reloads: time from the signal to the first response by a worker that did not
exist before it. Run (a release build is fairer):

    /usr/bin/python3 -m venv /tmp/lc-uvenv && /tmp/lc-uvenv/bin/pip install uwsgi gunicorn
    LIEGE_RELOAD_BENCH=10 LIEGE_BIN=$PWD/.build/release/liege .venv/bin/python -m pytest -s \\
        Tests/integration/test_lifecycle_bench.py
"""
import http.client
import os
import signal
import statistics
import subprocess
import threading
import time

import pytest

from support import free_port

HERE = os.environ.get("LIEGE_RELOAD_BENCH_DIR", "/tmp/lc-bench")
VENV = os.environ.get("LIEGE_RELOAD_BENCH_VENV", "/tmp/lc-uvenv/bin")
APP = os.path.join(HERE, "slowapp.py")
APP_TEXT = ("import os, time\ntime.sleep(1.0)\n"
            "def application(environ, start_response):\n"
            "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
            "    return [('pid=%d' % os.getpid()).encode()]\n")


def write_app():
    os.makedirs(HERE, exist_ok=True)
    with open(APP, "w") as handle:
        handle.write(APP_TEXT)


def get(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        body = response.read().decode()
        return response.status, body
    finally:
        connection.close()


def children(pid):
    result = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            result |= {int(p) for p in handle.read().split()}
    return result


class Load(threading.Thread):
    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.ok, self.errors, self.stop_flag = port, 0, [], False
        self.responses = []   # (monotonic time, pid)

    def run(self):
        while not self.stop_flag:
            try:
                status, body = get(self.port)
                if status == 200:
                    self.ok += 1
                    self.responses.append((time.monotonic(), int(body.split("=")[1])))
                else:
                    self.errors.append(status)
            except Exception as error:  # noqa: BLE001
                self.errors.append(repr(error))
                time.sleep(0.001)


def commands(name, port, liege_bin, workdir):
    if name == "liege":
        ini = os.path.join(workdir, "bench.ini")
        with open(ini, "w") as handle:
            handle.write(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {APP}\nprocesses = 2\n"
                         "disable-logging = true\n")
        return [liege_bin, "--ini", ini]
    if name == "uwsgi":
        return [f"{VENV}/uwsgi", "--master", "--http-socket", f"127.0.0.1:{port}", "--wsgi-file", APP,
                "--processes", "2", "--disable-logging"]
    return [f"{VENV}/gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", HERE, "slowapp:application"]


def measure(name, liege_bin, rounds):
    port = free_port()
    workdir = os.path.join(HERE, name)
    os.makedirs(workdir, exist_ok=True)
    log = open(os.path.join(workdir, "server.log"), "w")
    server = subprocess.Popen(commands(name, port, liege_bin, workdir), stdout=log, stderr=subprocess.STDOUT,
                              cwd=workdir)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(port)[0] == 200 and len(children(server.pid)) >= 2:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{name} did not start"
            time.sleep(0.1)
        time.sleep(1.5)   # every worker up
        load = Load(port)
        load.start()
        times = []
        for _ in range(rounds):
            old = children(server.pid)
            started = time.monotonic()
            server.send_signal(signal.SIGHUP)
            while True:
                fresh = [t for t, pid in load.responses[-50:] if t > started and pid not in old]
                if fresh:
                    times.append(fresh[0] - started)
                    break
                assert time.monotonic() - started < 30, f"{name}: no new worker answered"
                time.sleep(0.002)
            time.sleep(2.5)   # let the reload settle (all slots refilled) before the next one
        load.stop_flag = True
        load.join(35)
        return times, load.ok, load.errors
    finally:
        server.send_signal(signal.SIGINT if name != "gunicorn" else signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.mark.skipif(not os.environ.get("LIEGE_RELOAD_BENCH"), reason="opt-in: set LIEGE_RELOAD_BENCH=ROUNDS")
def test_reload_side_by_side(liege_bin):
    rounds = int(os.environ["LIEGE_RELOAD_BENCH"])
    write_app()
    t0 = time.monotonic()
    subprocess.run(["/usr/bin/python3", "-c", f"import runpy; runpy.run_path({APP!r})"], check=True)
    import_time = time.monotonic() - t0
    print(f"\napp import in a fresh /usr/bin/python3 (interpreter start + 1 s sleep): {import_time * 1000:.0f} ms")
    print(f"{'server':10} {'median':>8} {'min':>8} {'max':>8}  {'vs import':>10}  requests  failed")
    for name in ("liege", "uwsgi", "gunicorn"):
        if name != "liege" and not os.path.exists(f"{VENV}/{name}"):
            print(f"{name:10} not installed in {VENV}")
            continue
        times, ok, errors = measure(name, liege_bin, rounds)
        median = statistics.median(times)
        print(f"{name:10} {median * 1000:7.0f}ms {min(times) * 1000:7.0f}ms {max(times) * 1000:7.0f}ms  "
              f"{(median - import_time) * 1000:+9.0f}ms  {ok + len(errors):8d}  {len(errors):6d}"
              + (f"  e.g. {errors[0]}" if errors else ""))
        if name == "liege":
            assert errors == []
