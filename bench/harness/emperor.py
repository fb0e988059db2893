"""Emperor scenario: new-file-to-200, touch-to-reloaded, remove-to-port-closed (alternating peers, one
vassal per round), then idle CPU over `idle_seconds` with 10 vassals per emperor and the emperor's RSS.

The same vassal INI file serves both emperors (Liege reads uWSGI's [uwsgi] section and accepts
`master = true`). The two idle trees are measured over the same window: idle processes do not compete,
and it halves the scenario's time."""

import os
import shutil
import time

from context import APPS, VENV, WORK
from peers import shown
from procs import Server, children_of, cpu_sample, cpu_used, free_port, http_get, port_refuses, rss_kib, wait_http
from report import NOT_BUILT, Row

VASSAL = """\
[uwsgi]
http-socket = 127.0.0.1:%(port)d
master = true
processes = %(processes)d
chdir = %(chdir)s
module = stamp
virtualenv = %(venv)s
disable-logging = true
"""

EVENT_TIMEOUT = 30


def emperor(ctx, rows):
    peers = [p for p in ("liege", "uwsgi") if ctx.wants(p)]
    new_row = Row("emperor.new", "emperor: new file to 200", "ms", "lower", peers)
    touch_row = Row("emperor.touch", "emperor: touch to reloaded", "ms", "lower", peers)
    remove_row = Row("emperor.remove", "emperor: remove to port closed", "ms", "lower", peers)
    idle_row = Row("emperor.idle_cpu", "emperor: idle CPU, 10 vassals, %ds" % ctx.idle_seconds, "%CPU", "lower", peers)
    mem_row = Row("memory.emperor", "memory: emperor process (10 vassals)", "MiB", "lower", peers)
    rows += [new_row, touch_row, remove_row, idle_row]
    all_rows = [new_row, touch_row, remove_row, idle_row, mem_row]
    live = list(peers)
    if "liege" in peers and not ctx.liege_has("emperor"):
        for row in all_rows:
            row.mark("liege", NOT_BUILT)
        live.remove("liege")
    group = "emperor (each vassal: the INI below, as a file in the emperor's directory)"
    apps = os.path.join(WORK, "emperor", "app")
    os.makedirs(apps, exist_ok=True)
    shutil.copy(os.path.join(APPS, "stamp.py"), os.path.join(apps, "stamp.py"))
    emperors = {}
    for peer in live:
        directory = os.path.join(WORK, "emperor", peer)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        argv = [ctx.liege if peer == "liege" else ctx.uwsgi, "--emperor", directory]
        ctx.record(group, peer, shown(argv))
        emperors[peer] = (Server(peer + "-emperor", argv, directory, os.path.join(ctx.logs, peer + "-emperor.log"),
                                 ctx.server_cpus), directory)
    vassal = VASSAL.replace("%(port)d", "PORT") % {"processes": ctx.processes, "chdir": ".bench/emperor/app",
                                                    "venv": ".bench/venv"}
    ctx.record(group, "vassal", " ; ".join(vassal.strip().splitlines()))
    try:
        time.sleep(2.0)
        for peer, (server, _d) in list(emperors.items()):
            if not server.alive():
                ctx.note("%s emperor exited at start: %s" % (peer, server.log_tail(3)))
                for row in all_rows:
                    row.mark(peer, "failed")
                del emperors[peer]
        for round_index in range(ctx.rounds):
            for peer, (server, directory) in emperors.items():
                events(ctx, peer, directory, "bench%d" % round_index, new_row, touch_row, remove_row)
        idle(ctx, emperors, idle_row, mem_row)
    finally:
        for server, _d in emperors.values():
            server.stop()
    return [mem_row]


def write_vassal(ctx, directory, name, port, chdir):
    """Create the file in one step (rename), as a deployment tool would."""
    temporary = os.path.join(directory, "." + name + ".tmp")
    with open(temporary, "w") as f:
        f.write(VASSAL % {"port": port, "processes": ctx.processes, "chdir": chdir, "venv": VENV})
    path = os.path.join(directory, name + ".ini")
    os.rename(temporary, path)
    return path


def events(ctx, peer, directory, name, new_row, touch_row, remove_row):
    port = free_port()
    chdir = os.path.join(WORK, "emperor", "app")
    start = time.monotonic()
    path = write_vassal(ctx, directory, name, port, chdir)
    waited = wait_http(port, timeout=EVENT_TIMEOUT)
    new_row.add(peer, None if waited is None else (time.monotonic() - start) * 1000)
    if waited is None:
        ctx.note("%s emperor: vassal %s never answered" % (peer, name))
        touch_row.add(peer, None)
    else:
        # uWSGI compares whole-second mtimes: touch in a later second than the file's creation.
        while int(time.time()) <= int(os.stat(path).st_mtime):
            time.sleep(0.05)
        touched_wall, start = time.time(), time.monotonic()
        os.utime(path)
        reloaded = None
        while time.monotonic() - start < EVENT_TIMEOUT:
            try:
                status, body = http_get(port, timeout=5)
                if status == 200 and float(body) > touched_wall:
                    reloaded = (time.monotonic() - start) * 1000
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
        if reloaded is None:
            ctx.note("%s emperor: vassal %s not reloaded %ds after touch" % (peer, name, EVENT_TIMEOUT))
        touch_row.add(peer, reloaded)
    time.sleep(1.0)  # let the (re)loaded vassal settle: measure removal of a running vassal, not of a reload
    start = time.monotonic()
    os.remove(path)
    closed = None
    while time.monotonic() - start < EVENT_TIMEOUT:
        if port_refuses(port):
            closed = (time.monotonic() - start) * 1000
            break
        time.sleep(0.01)
    if closed is None:
        ctx.note("%s emperor: port of removed vassal %s still open after %ds" % (peer, name, EVENT_TIMEOUT))
    remove_row.add(peer, closed)


def idle(ctx, emperors, idle_row, mem_row):
    chdir = os.path.join(WORK, "emperor", "app")
    ports = {}
    for peer, (_server, directory) in emperors.items():
        ports[peer] = [free_port() for _ in range(10)]
        for index, port in enumerate(ports[peer]):
            write_vassal(ctx, directory, "idle%d" % index, port, chdir)
    for peer in list(emperors):
        if any(wait_http(port, timeout=90) is None for port in ports[peer]):
            ctx.note("%s emperor: not all 10 vassals answered" % peer)
            idle_row.add(peer, None)
            mem_row.add(peer, None)
            del emperors[peer]
    time.sleep(3.0)
    # by role: the emperor, its vassal masters, their workers (and anything deeper)
    roles = {}
    for peer, (server, _d) in emperors.items():
        masters = children_of(server.pid)
        roles[peer] = {"emperor": [server.pid], "vassal masters": masters,
                       "workers": [p for p in server.tree() if p != server.pid and p not in masters]}
    before = {peer: {role: cpu_sample(pids) for role, pids in r.items()} for peer, r in roles.items()}
    time.sleep(ctx.idle_seconds)
    for peer, by_role in roles.items():
        used = {role: cpu_used(before[peer][role], cpu_sample(pids)) for role, pids in by_role.items()}
        detail = {role: "%.3f %%CPU over %d processes" % (used[role] / ctx.idle_seconds * 100, len(by_role[role]))
                  for role in by_role}
        idle_row.add(peer, sum(used.values()) / ctx.idle_seconds * 100, detail=detail)
        ctx.note("%s emperor idle CPU by role: %s" % (peer, "; ".join("%s %s" % kv for kv in detail.items())))
        kib = rss_kib(emperors[peer][0].pid)
        mem_row.add(peer, kib / 1024 if kib else None)
