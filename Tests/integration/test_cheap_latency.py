"""First-request latency after scale to zero, against the app's own import time (SPEC.md §8).

As a test: the first request after `idle` waits for a fresh worker to import the app (so it takes at
least the import time) and is answered by it. As a script it prints the side-by-side numbers:

    LIEGE_BIN=.build/debug/liege .venv/bin/python Tests/integration/test_cheap_latency.py [UWSGI_BIN]
"""
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from support import children_of, free_port, wait_until  # noqa: E402
from lifecycle_support import get, pid_of, write_app  # noqa: E402


def import_seconds(directory, module="app", python=sys.executable):
    """The app's own import time, in a fresh interpreter (median of 5)."""
    code = f"import time, sys; sys.path.insert(0, {str(directory)!r}); t = time.perf_counter(); import {module}; " \
           "print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                                                  cwd=directory).stdout) for _ in range(5))


def cold_starts(master_pid, port, rounds, path="/"):
    """Latency of `rounds` first requests, each after the workers went away (idle)."""
    latencies = []
    for _ in range(rounds):
        wait_until(lambda: children_of(master_pid) == [], 60, message="workers gone (idle)")
        time.sleep(0.3)
        started = time.perf_counter()
        status, body = get(port, path, timeout=60)
        latencies.append(time.perf_counter() - started)
        assert status == 200, body
    return latencies


def test_first_request_after_idle_waits_for_the_import_and_is_served_by_a_new_worker(start_liege, tmp_path):
    port = free_port()
    app = write_app(tmp_path, body="cold", import_sleep=0.4)
    server = start_liege(f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nwsgi-file = {app}\nprocesses = 1\ncheap = true\nidle = 1\n",
                         name="latency", wait=False)
    server.wait_log("cheap mode")
    seen = set()
    for latency in cold_starts(server.pid, port, 2):
        assert latency >= 0.4
    for _ in range(2):
        wait_until(lambda: children_of(server.pid) == [], 30, message="workers gone")
        status, body = get(port)
        assert status == 200 and body.startswith("cold")
        seen.add(pid_of(body))
    assert len(seen) == 2   # each cold start is a new worker


def measure(liege, uwsgi, rounds=10):
    work = pathlib.Path(tempfile.mkdtemp(prefix="liege-cheap-measure-"))
    apps = {"hello": 0.0, "0.5 s import": 0.5}
    rows = []
    for label, sleep in apps.items():
        directory = work / label.replace(" ", "-").replace(".", "")
        directory.mkdir()
        app = write_app(directory, import_sleep=sleep)
        own = import_seconds(directory)
        row = [label, own]
        commands = {
            "liege": [liege, "--http-socket", "127.0.0.1:{port}", "--wsgi-file", str(app), "--processes", "1",
                      "--cheap", "--idle", "1", "--disable-logging"],
            "uwsgi": [uwsgi, "--http-socket", "127.0.0.1:{port}", "--wsgi-file", str(app), "--processes", "1",
                      "--master", "--cheap", "--idle", "1", "--disable-logging"] if uwsgi else None,
        }
        for name, command in commands.items():
            if command is None:
                row.append(None)
                continue
            port = free_port()
            process = subprocess.Popen([part.format(port=port) for part in command], cwd=directory,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(1.5)
                latencies = cold_starts(process.pid, port, rounds)
                row.append(statistics.median(latencies))
            finally:
                process.kill()
                process.wait()
        rows.append(row)
    print("| app | import time | liege cheap first request | uwsgi --cheap --idle first request |")
    print("|---|---|---|---|")
    for label, own, ours, theirs in rows:
        fmt = lambda value: "-" if value is None else f"{value * 1000:.0f} ms"  # noqa: E731
        print(f"| {label} | {fmt(own)} | {fmt(ours)} | {fmt(theirs)} |")


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parents[2]
    measure(os.environ.get("LIEGE_BIN") or str(root / ".build" / "debug" / "liege"), sys.argv[1] if len(sys.argv) > 1 else None)
