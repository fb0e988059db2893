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
    code = f"import os, time, sys; sys.path.insert(0, {str(directory)!r}); " \
           "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings'); " \
           f"t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
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


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))


def measured_apps(work):
    """(label, directory, server arguments, module to time) for each app measured."""
    apps = []
    for label, sleep in {"hello": 0.0, "0.5 s import": 0.5}.items():
        directory = work / label.replace(" ", "-").replace(".", "")
        directory.mkdir()
        app = write_app(directory, import_sleep=sleep)
        apps.append((label, directory, ["--wsgi-file", str(app)], "app"))
    django_admin = pathlib.Path(sys.executable).parent / "django-admin"
    if django_admin.exists():
        directory = work / "django"
        directory.mkdir()
        subprocess.run([str(django_admin), "startproject", "mysite", str(directory)], check=True)
        settings = directory / "mysite" / "settings.py"
        settings.write_text(settings.read_text().replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['127.0.0.1']"))
        site = next(pathlib.Path(sys.prefix).glob("lib/python3*/site-packages"))
        apps.append(("django startproject", directory, ["--module", "mysite.wsgi:application", "--pythonpath", str(site),
                                                         "--env", "DJANGO_SETTINGS_MODULE=mysite.settings"],
                     "mysite.wsgi"))
    return apps


def measure(liege, uwsgi, rounds=10):
    """Median first-request latency after idle, and the master's RSS while cheap, per server and app."""
    work = pathlib.Path(tempfile.mkdtemp(prefix="liege-cheap-measure-"))
    servers = {"liege": [liege, "--cheap", "--idle", "1", "--disable-logging"]}
    if uwsgi:
        servers["uwsgi"] = [uwsgi, "--master", "--cheap", "--idle", "1", "--disable-logging"]
        servers["uwsgi --lazy-apps"] = servers["uwsgi"] + ["--lazy-apps"]
    print("| app | its import time | " + " | ".join(f"{name}: first request, master RSS while cheap" for name in servers) + " |")
    print("|---|---|" + "---|" * len(servers))
    for label, directory, arguments, module in measured_apps(work):
        cells = [label, f"{import_seconds(directory, module) * 1000:.0f} ms"]
        for command in servers.values():
            port = free_port()
            process = subprocess.Popen(command + ["--http-socket", f"127.0.0.1:{port}", "--processes", "1"] + arguments,
                                       cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(1.5)
                latencies = cold_starts(process.pid, port, rounds)
                wait_until(lambda: children_of(process.pid) == [], 60, message="workers gone (idle)")
                cells.append(f"{statistics.median(latencies) * 1000:.0f} ms, {rss_kb(process.pid) / 1024:.1f} MB")
            finally:
                process.kill()
                process.wait()
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    root = pathlib.Path(__file__).resolve().parents[2]
    measure(os.environ.get("LIEGE_BIN") or str(root / ".build" / "debug" / "liege"), sys.argv[1] if len(sys.argv) > 1 else None)
