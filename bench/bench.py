"""Liege side by side with uWSGI, gunicorn, granian, uvicorn, daphne and nginx: one run, alternating peers,
ratios of medians.

Run through `make bench` (installs what is missing, builds Liege in release mode) or directly with the
bench venv's python: `.bench/venv/bin/python bench/bench.py --help`."""

import argparse
import os
import signal
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "harness"))

import asgibench  # noqa: E402
import connections  # noqa: E402
import emperor  # noqa: E402
import operations  # noqa: E402
import preload  # noqa: E402
import throughput  # noqa: E402
from context import ROOT, WORK, Context  # noqa: E402
from djangoproject import ensure_project  # noqa: E402
from procs import stop_all  # noqa: E402
from report import table, write_json  # noqa: E402

PEERS = "liege,uwsgi,gunicorn,nginx,granian,uvicorn,daphne"
SCENARIOS = ["hello", "keepalive64", "slowclients", "django", "static", "reload", "cheap", "preload", "emperor",
             "asgi", "channels"]
STATIC_FILES = [("4 KiB", "file-4k.bin", 4096), ("1 MiB", "file-1m.bin", 1 << 20)]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per scenario (default 3)")
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run (default 4)")
    parser.add_argument("--warmup", type=int, default=1, help="wrk warm-up seconds per server (default 1)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--idle-seconds", type=int, default=30, help="emperor idle CPU window (default 30)")
    parser.add_argument("--reload-timeout", type=int, default=20, help="max seconds from SIGHUP to a new answer")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma list of " + ",".join(SCENARIOS))
    parser.add_argument("--peers", default=PEERS)
    parser.add_argument("--liege", default=os.path.join(ROOT, ".build", "release", "liege"))
    parser.add_argument("--server-cpus", default="", help="CPUs for the servers (default: all but CPU 0)")
    parser.add_argument("--load-cpus", default="", help="CPUs for wrk and the harness (default: CPU 0)")
    parser.add_argument("--json", default=os.path.join(ROOT, "bench", "results-latest.json"))
    parser.add_argument("--smoke", action="store_true",
                        help="tiny run (1 round, 1 s, no warm-up, no emperor, no gunicorn): checks the harness end to end")
    args = parser.parse_args()
    args.settle = 1.5
    if args.smoke:
        args.settle = 0.3
        args.rounds, args.duration, args.warmup, args.idle_seconds, args.reload_timeout = 1, 1, 0, 2, 10
        if args.scenarios == ",".join(SCENARIOS):
            args.scenarios = "hello,keepalive64,slowclients,django,static,reload,cheap,preload,asgi,channels"
        if args.peers == PEERS:
            args.peers = "liege,uwsgi,nginx,granian,uvicorn,daphne"  # gunicorn's 2 s reload and slow start would cost the most
    return args


def preflight(ctx):
    needed = {"liege": ctx.liege, "uwsgi": ctx.uwsgi, "gunicorn": ctx.gunicorn, "nginx": ctx.nginx,
              "granian": ctx.granian, "uvicorn": ctx.uvicorn, "daphne": ctx.daphne}
    missing = [path for peer, path in needed.items() if ctx.wants(peer) and not os.access(path, os.X_OK)]
    if not os.access(ctx.wrk, os.X_OK):
        missing.append(ctx.wrk)
    if missing:
        sys.exit("bench: missing %s (run `make bench`, which installs and builds them)" % ", ".join(missing))


def static_files():
    directory = os.path.join(WORK, "static")
    os.makedirs(directory, exist_ok=True)
    for _label, name, size in STATIC_FILES:
        path = os.path.join(directory, name)
        if not os.path.exists(path) or os.path.getsize(path) != size:
            with open(path, "wb") as f:
                f.write(os.urandom(size))
    return [(label, name) for label, name, _size in STATIC_FILES]


def main():
    args = arguments()
    os.chdir(ROOT)
    ctx = Context(args)
    preflight(ctx)
    if ctx.load_cpus:
        os.sched_setaffinity(0, ctx.load_cpus)
    started = time.time()
    load_at_start = load_average()
    wanted = [s for s in args.scenarios.split(",") if s]
    rows, memory, broken = [], [], []

    def progress(text):
        print("[bench %5.1fs] %s" % (time.time() - started, text), file=sys.stderr, flush=True)

    steps = {
        "hello": lambda: memory.extend(throughput.hello(ctx, rows)),
        "keepalive64": lambda: connections.keepalive_many(ctx, rows),
        "slowclients": lambda: connections.slow_clients(ctx, rows),
        "django": lambda: memory.extend(throughput.django(ctx, rows, ensure_project())),
        "static": lambda: throughput.static(ctx, rows, static_files()),
        "reload": lambda: operations.reload_under_load(ctx, rows),
        "cheap": lambda: operations.cheap(ctx, rows),
        "preload": lambda: preload.preload(ctx, rows, ensure_project()),
        "emperor": lambda: memory.extend(emperor.emperor(ctx, rows)),
        "asgi": lambda: asgibench.hello_and_echo(ctx, rows),
        "channels": lambda: asgibench.channels_group(ctx, rows),
    }
    for name in SCENARIOS:
        if name not in wanted:
            continue
        progress("scenario %s" % name)
        try:
            steps[name]()
        except Exception:  # a harness bug: keep going, report it, exit non-zero at the end
            broken.append(name)
            ctx.note("scenario %s broke the harness:\n%s" % (name, traceback.format_exc()))
    rows += [m for m in memory if m is not None]
    elapsed = time.time() - started
    progress("done")

    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started))
    print()
    print("Liege bench, %s, %d rounds, medians; %d processes per server; wrk %d s x %d connections" % (
        stamp, ctx.rounds, ctx.processes, ctx.duration, ctx.connections))
    print("servers on CPU %s, load generator on CPU %s; load average at start %s; took %.0f s" % (
        cpu_text(ctx.server_cpus), cpu_text(ctx.load_cpus), load_at_start, elapsed))
    versions = tool_versions(ctx)
    print("versions: " + "; ".join("%s %s" % kv for kv in versions.items()))
    print()
    print(table(rows, ctx.peers))
    print()
    print("^ higher is better, v lower is better. L/peer = Liege median / peer median.")
    print("not built yet = Liege lacks the feature (its option is unknown to `liege --check-config`).")
    print("n/a = the peer does not do this. * = some rounds failed (see notes).")
    print()
    print("Commands (PORT and paths as run; servers pinned with taskset, logs in .bench/logs):")
    for group, commands in ctx.commands.items():
        print("  %s" % group)
        for peer, command in commands.items():
            print("    %-9s %s" % (peer + ":", command))
    if ctx.notes:
        print()
        print("Notes:")
        for note in ctx.notes:
            print("  - " + note.replace("\n", "\n    "))
    meta = {"date": stamp, "rounds": ctx.rounds, "duration_s": ctx.duration, "connections": ctx.connections,
            "processes": ctx.processes, "server_cpus": sorted(ctx.server_cpus), "load_cpus": sorted(ctx.load_cpus),
            "load_average_at_start": load_at_start, "elapsed_s": round(elapsed, 1), "notes": ctx.notes,
            "scenarios": wanted, "broken": broken, "versions": versions}
    write_json(args.json, meta, rows, ctx.commands)
    print()
    print("results: %s" % os.path.relpath(args.json, ROOT))
    return 2 if broken else 0


def tool_versions(ctx):
    def run(argv):
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=20)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    return {
        "liege": run(["git", "-C", ROOT, "describe", "--always", "--dirty"]),
        "uWSGI": run([ctx.uwsgi, "--version"]),
        "gunicorn": run([ctx.gunicorn, "--version"]).replace("gunicorn (version ", "").rstrip(")"),
        "granian": run([ctx.granian, "--version"]).replace("granian ", ""),
        "uvicorn": run([ctx.python, "-c", "import uvicorn, httptools, uvloop; print(uvicorn.__version__, "
                                          "'(httptools', httptools.__version__ + ', uvloop', uvloop.__version__ + ')')"]),
        "daphne": run([ctx.python, "-c", "import daphne, twisted; print(daphne.__version__, '(Twisted', "
                                         "twisted.__version__ + ')')"]),
        "Channels": run([ctx.python, "-c", "import channels; print(channels.__version__)"]),
        "websockets": run([ctx.python, "-c", "import websockets; print(websockets.__version__)"]),
        "nginx": run([ctx.nginx, "-v"]).replace("nginx version: nginx/", ""),
        "Django": run([ctx.python, "-c", "import django; print(django.get_version())"]),
        "wrk": run([ctx.wrk, "-v"]).split(" [")[0].replace("wrk ", ""),
    }


def cpu_text(cpus):
    return ",".join(str(c) for c in sorted(cpus)) if cpus else "any"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind, so every started server is stopped
    try:
        sys.exit(main())
    finally:
        stop_all()
