"""Preloaded apps: workers forked from one import. Liege `lazy-apps = false` (a preloader process), uWSGI
as it is by default (its master imports the app), gunicorn `--preload` (its arbiter imports it).

- Django worker PSS with 4 workers: the median worker after some load on each (PSS divides the pages a
  worker shares with its siblings and its preloader/master among them).
- cheap mode's first request with preloading (the hello app; Liege keeps its preloader while cheap).
- a worker killed with SIGKILL -> the next answer, necessarily from its replacement (1 worker), for the
  hello app (the server's own respawn) and for Django (plus what a new Django worker loads lazily).
- reload under load with preloading (the app's import takes 1 s): failed requests, SIGHUP to the first
  answer from the new code. gunicorn is left out: with --preload its HUP does not load new code (its docs)."""

import os
import signal
import time

import peers as P
from context import APPS, WORK
from load import wrk
from operations import copy_app, first_request, one_reload
from procs import cmdline, free_port, http_get, pss_kib, wait_http
from report import Row

WORKERS = 4


def liege_preload(ctx, port, chdir, module, processes, extra=()):
    options = [(k, v) for k, v in P.liege_options(ctx, port, chdir, module) if k != "processes"]
    return options + [("processes", processes), ("lazy-apps", "false")] + list(extra)


def workers_of(peer, server):
    """The worker processes (Liege: not its preloader)."""
    children = server.children()
    if peer == "liege":
        return [pid for pid in children if cmdline(pid).startswith("liege worker")]
    return children


def preload(ctx, rows, project):
    peers = [p for p in ("liege", "uwsgi", "gunicorn") if ctx.wants(p)]
    pss_row = Row("preload.django_worker_pss", "memory: Django worker PSS, %d workers, preload" % WORKERS, "MiB",
                  "lower", peers)
    cheap_row = Row("preload.cheap_first", "cheap mode, preload: first-request latency", "ms", "lower",
                    [p for p in ("liege", "uwsgi") if ctx.wants(p)])
    respawn_rows = {
        "hello": Row("preload.respawn_hello", "worker killed -> next answer, hello", "ms", "lower", peers),
        "django": Row("preload.respawn_django", "worker killed -> next answer, Django", "ms", "lower", peers),
    }
    reload_peers = [p for p in ("liege", "uwsgi") if ctx.wants(p)]
    reload_rows = (Row("preload.reload_failed", "reload under load, preload: failed requests", "count", "lower", reload_peers),
                   Row("preload.reload_first_new", "reload, preload: SIGHUP to first new-code answer", "ms", "lower",
                       reload_peers),
                   Row("preload.reload_longest", "reload, preload: longest request meanwhile", "ms", "lower", reload_peers))
    rows += [pss_row, cheap_row, *respawn_rows.values(), *reload_rows]
    django_pss(ctx, pss_row, project)
    cheap_first(ctx, cheap_row)
    respawn(ctx, respawn_rows, project)
    reload_under_load(ctx, reload_rows)


def start(ctx, group, name, peer, processes, chdir, module, record=True):
    port = free_port()
    if peer == "liege":
        server = P.start_liege(ctx, group, name, liege_preload(ctx, port, chdir, module, processes), record=record)
    elif peer == "uwsgi":
        argv = P.uwsgi_argv(ctx, port, chdir, module)
        argv[argv.index("--processes") + 1] = str(processes)
        server = P.start_uwsgi(ctx, group, name, argv, record=record)
    else:
        argv = P.gunicorn_argv(ctx, port, chdir, module)
        argv[argv.index("--workers") + 1] = str(processes)
        argv.insert(1, "--preload")   # gunicorn docs: load the app before forking the workers
        server = P.start_gunicorn(ctx, group, name, argv, record=record)
    return server, port


def up(ctx, row, peer, server, port, count, path="/hello/"):
    """Waits for the server and its `count` workers; marks the row failed (with a note) otherwise."""
    deadline = time.monotonic() + 60
    if wait_http(port, path, timeout=60, server=server) is not None:
        while time.monotonic() < deadline:
            if len(workers_of(peer, server)) == count:
                return True
            time.sleep(0.05)
    ctx.note("%s did not start %d workers for %s: %s" % (peer, count, row.label, server.log_tail(3)))
    row.mark(peer, "failed")
    server.stop()
    return False


def django_pss(ctx, row, project):
    group = "preload: Django, %d workers" % WORKERS
    servers = {}
    for peer in row.peers:
        server, port = start(ctx, group, "preload-django", peer, WORKERS, project, "benchsite.wsgi")
        if up(ctx, row, peer, server, port, WORKERS):
            servers[peer] = (server, port)
    try:
        for _round in range(ctx.rounds):
            for peer, (server, port) in servers.items():
                # Load on every worker (8 connections, closing), then the median worker's PSS.
                for path in ("/hello/", "/admin/login/"):
                    wrk(ctx, port, path, seconds=max(1, ctx.warmup), keepalive=False)
                time.sleep(0.5)
                workers = workers_of(peer, server)
                values = sorted(v for v in (pss_kib(pid) for pid in workers) if v)
                row.add(peer, values[len(values) // 2] / 1024 if len(values) == WORKERS else None,
                        detail={"workers_pss_mib": [round(v / 1024, 1) for v in values]})
    finally:
        for server, _port in servers.values():
            server.stop()


def cheap_first(ctx, row):
    group = "preload: cheap mode (no worker until the first request; the app stays imported)"
    for round_index in range(ctx.rounds):
        for peer in row.peers:
            port = free_port()
            record = round_index == 0
            if peer == "liege":
                options = liege_preload(ctx, port, APPS, "hello", ctx.processes, extra=[("cheap", "true")])
                server = P.start_liege(ctx, group, "preload-cheap", options, record=record)
            else:
                server = P.start_uwsgi(ctx, group, "preload-cheap",
                                       P.uwsgi_argv(ctx, port, APPS, "hello", extra=["--cheap"]), record=record)
            try:
                row.add(peer, first_request(ctx, peer, server, port, workers=lambda: workers_of(peer, server)))
            finally:
                server.stop()


def respawn(ctx, rows, project):
    """One worker each, the hello app and the Django project; per round SIGKILL the worker and time the
    next answer (it waits in the backlog for the replacement). A Django worker's first request also loads
    what Django loads lazily (the URLconf, the admin's views): every peer pays that in a new worker. Each
    worker has lived 10.5 s before it is killed, so no peer's crash-loop throttle (Liege, uWSGI: deaths
    within 10 s of start) delays the respawn being measured."""
    apps = {"hello": (APPS, "hello", "/"), "django": (project, "benchsite.wsgi", "/hello/")}
    servers = []
    for app, row in rows.items():
        chdir, module, path = apps[app]
        group = "preload: worker killed (1 worker, %s %s)" % (app, path)
        for peer in row.peers:
            server, port = start(ctx, group, "preload-kill-" + app, peer, 1, chdir, module)
            if up(ctx, row, peer, server, port, 1, path):
                servers.append([row, peer, server, port, path, time.monotonic()])
    try:
        for round_index in range(ctx.rounds):
            for entry in servers:
                row, peer, server, port, path, born = entry
                time.sleep(max(0.0, born + 10.5 - time.monotonic()) if round_index > 0 else 0)
                row.add(peer, *kill_and_time(ctx, peer, server, port, path))
                entry[5] = time.monotonic()
    finally:
        for entry in servers:
            entry[2].stop()


def kill_and_time(ctx, peer, server, port, path):
    victims = workers_of(peer, server)
    if len(victims) != 1:
        ctx.note("%s (worker killed): %d workers instead of 1" % (peer, len(victims)))
        return None, None
    killed = time.monotonic()
    os.kill(victims[0], signal.SIGKILL)
    try:
        status, _length = http_get(port, path, timeout=30, keep_body=False)
    except OSError as error:
        ctx.note("%s (worker killed): the next request failed: %s" % (peer, error))
        return None, None
    elapsed = (time.monotonic() - killed) * 1000
    replacement = workers_of(peer, server)
    if status != 200 or victims[0] in replacement:
        ctx.note("%s (worker killed): status %s, workers %s" % (peer, status, replacement))
        return None, None
    return elapsed, {"killed": victims[0], "replacement": replacement}


def reload_under_load(ctx, rows):
    """operations.reload_under_load's measurement with Liege preloading (uWSGI preloads by default)."""
    group = "preload: reload under load (app import takes 1 s; 4 clients, connection close)"
    servers = {}
    for peer in rows[0].peers:
        directory = copy_app("slowimport", os.path.join(WORK, "reload-preload", peer))
        with open(os.path.join(directory, "generation"), "w") as f:
            f.write("g0\n")
        server, port = start(ctx, group, "preload-reload", peer, ctx.processes, directory, "slowimport")
        if up(ctx, rows[0], peer, server, port, ctx.processes, "/"):
            servers[peer] = (server, port, directory)
        else:
            for row in rows[1:]:
                row.mark(peer, "failed")
    try:
        for round_index in range(ctx.rounds):
            for peer, (server, port, directory) in servers.items():
                one_reload(ctx, peer, server, port, directory, "g%d" % (round_index + 1), rows)
    finally:
        for server, _port, _d in servers.values():
            server.stop()
