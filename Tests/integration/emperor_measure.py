"""Side-by-side timings of Liege's emperor and `uwsgi --emperor` on the same vassals (not a test: run it
by hand; timings depend on the machine). Usage:

    python Tests/integration/emperor_measure.py LIEGE_BIN UWSGI_BIN [rounds] [idle_seconds]

Prints, per emperor, the median of `rounds` runs of: new file -> first 200, touch -> reloaded app (a new
worker pid answers), removal -> port closed; then the emperor's CPU time over `idle_seconds` with 10 vassals.
"""
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from emperor_support import body_of, free_port, port_closed, worker_pid, write_app  # noqa: E402

def ini(port, directory, uwsgi):
    extra = "master = true\n" if uwsgi else ""
    return (f"[uwsgi]\nhttp-socket = 127.0.0.1:{port}\nchdir = {directory}\nmodule = measureapp\n"
            f"processes = 1\n{extra}")


def until(predicate, timeout=60, step=0.005):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    raise RuntimeError("timed out")


def cpu_seconds(pid):
    """CPU time of every thread of `pid`, in seconds, to the nanosecond (/proc/PID/task/*/schedstat)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as handle:
                total += int(handle.read().split()[0])
        except FileNotFoundError:
            pass
    return total / 1e9


def start(kind, binary, vassals, log):
    args = [binary, "--emperor", str(vassals)]
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def measure(kind, binary, rounds, idle_seconds):
    uwsgi = kind == "uwsgi"
    work = pathlib.Path(tempfile.mkdtemp(prefix=f"measure-{kind}-"))
    vassals = work / "vassals"
    vassals.mkdir()
    write_app(work, "measureapp", kind)
    log = open(work / "emperor.log", "ab")
    emperor = start(kind, binary, vassals, log)
    time.sleep(1)
    results = {"new file -> 200": [], "touch -> reloaded": [], "remove -> port closed": []}
    try:
        for index in range(rounds):
            port = free_port()
            staged = work / f"r{index}.ini"
            staged.write_text(ini(port, work, uwsgi))
            os.rename(staged, vassals / staged.name)
            results["new file -> 200"].append(until(lambda: body_of(port) is not None))
            old = worker_pid(body_of(port))
            time.sleep(1.1)       # a new second, so whole-second mtime pollers can see the touch
            os.utime(vassals / staged.name)
            results["touch -> reloaded"].append(until(lambda: worker_pid(body_of(port)) not in (None, old)))
            time.sleep(0.5)
            os.unlink(vassals / staged.name)
            results["remove -> port closed"].append(until(lambda: port_closed(port)))
            time.sleep(1)
        ports = [free_port() for _ in range(10)]
        for index, port in enumerate(ports):
            (vassals / f"idle{index}.ini").write_text(ini(port, work, uwsgi))
        until(lambda: all(body_of(p) for p in ports), 120, 0.1)
        time.sleep(3)
        before = cpu_seconds(emperor.pid)
        time.sleep(idle_seconds)
        idle = cpu_seconds(emperor.pid) - before
    finally:
        emperor.send_signal(signal.SIGINT)
        try:
            emperor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            emperor.kill()
            emperor.wait()
        log.close()
    summary = {name: statistics.median(values) if values else float("nan") for name, values in results.items()}
    summary[f"emperor CPU over {idle_seconds} s idle, 10 vassals"] = idle
    return summary, results


def main():
    liege, uwsgi = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    idle = int(sys.argv[4]) if len(sys.argv) > 4 else 60
    table = {}
    for kind, binary in (("liege", liege), ("uwsgi", uwsgi)):
        table[kind], raw = measure(kind, binary, rounds, idle)
        print(kind, {k: [round(v, 3) for v in vals] for k, vals in raw.items()}, flush=True)
    print(f"{'measure':45} {'liege':>10} {'uwsgi':>10}")
    for key in table["liege"]:
        print(f"{key:45} {table['liege'][key]:10.4f} {table['uwsgi'][key]:10.4f}")


if __name__ == "__main__":
    main()
