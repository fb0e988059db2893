"""Operational scenarios: reload under load, cheap mode, emperor. Peers alternate inside each round."""

import os
import shutil
import signal
import time

import peers as P
from context import APPS, WORK
from load import ReloadClient
from procs import free_port, http_get, listening_ports, wait_http
from report import NOT_BUILT, Row


def copy_app(name, directory):
    os.makedirs(directory, exist_ok=True)
    shutil.copy(os.path.join(APPS, name + ".py"), os.path.join(directory, name + ".py"))
    return directory


# ---------------------------------------------------------------- reload

def reload_under_load(ctx, rows):
    peers = [p for p in ("liege", "uwsgi", "gunicorn") if ctx.wants(p)]
    failed_row = Row("reload.failed", "reload under load: failed requests", "count", "lower", peers)
    time_row = Row("reload.first_new", "reload: SIGHUP to first new-worker answer", "ms", "lower", peers)
    stall_row = Row("reload.longest", "reload: longest request meanwhile", "ms", "lower", peers)
    rows += [failed_row, time_row, stall_row]
    group = "reload under load (app import takes 1 s; 4 clients, connection close)"
    ctx.record(group, "load", "4 Python client threads on the load CPU, GET / back to back; SIGHUP to the master")
    servers = {}
    for peer in peers:
        directory = copy_app("slowimport", os.path.join(WORK, "reload", peer))
        with open(os.path.join(directory, "generation"), "w") as f:
            f.write("g0\n")
        port = free_port()
        if peer == "liege":
            server = P.start_liege(ctx, group, "reload", P.liege_options(ctx, port, directory, "slowimport"))
        elif peer == "uwsgi":
            server = P.start_uwsgi(ctx, group, "reload", P.uwsgi_argv(ctx, port, directory, "slowimport"))
        else:
            server = P.start_gunicorn(ctx, group, "reload", P.gunicorn_argv(ctx, port, directory, "slowimport"))
        servers[peer] = (server, port, directory)
    try:
        for peer, (server, port, _d) in list(servers.items()):
            if wait_http(port, timeout=60, server=server) is None:
                ctx.note("%s did not start for the reload scenario: %s" % (peer, server.log_tail(3)))
                for row in (failed_row, time_row, stall_row):
                    row.mark(peer, "failed")
                server.stop()
                del servers[peer]
        for round_index in range(ctx.rounds):
            for peer, (server, port, directory) in servers.items():
                one_reload(ctx, peer, server, port, directory, "g%d" % (round_index + 1),
                           (failed_row, time_row, stall_row))
    finally:
        for server, _port, _d in servers.values():
            server.stop()


def one_reload(ctx, peer, server, port, directory, generation, rows):
    failed_row, time_row, stall_row = rows
    with open(os.path.join(directory, "generation"), "w") as f:
        f.write(generation + "\n")
    client = ReloadClient(port, clients=4)
    client.start()
    time.sleep(min(0.5, ctx.settle))
    sent = time.monotonic()
    server.send(signal.SIGHUP)
    first = None
    while time.monotonic() - sent < ctx.reload_timeout and server.alive():
        first = client.first_response_of(generation, sent)
        if first is not None:
            break
        time.sleep(0.02)
    if first is not None:
        time.sleep(ctx.settle)  # keep the load on while the remaining old workers are replaced
    client.stop()
    total, failed, longest = client.summary()
    detail = {"requests": total, "failed": len(failed), "errors": sorted({str(r[2]) for r in failed}),
              "longest_request_ms": round(longest, 1)}
    if first is None or not server.alive():
        ctx.note("%s: no answer from generation %s within %ds of SIGHUP (master %s)" % (
            peer, generation, ctx.reload_timeout, "alive" if server.alive() else "gone"))
        for row in rows:
            row.add(peer, None, detail if row is failed_row else None)
        return
    failed_row.add(peer, len(failed), detail)
    time_row.add(peer, (first - sent) * 1000)
    stall_row.add(peer, longest)


# ---------------------------------------------------------------- cheap

def cheap(ctx, rows):
    peers = [p for p in ("liege", "uwsgi") if ctx.wants(p)]
    row = Row("cheap.first", "cheap mode: first-request latency", "ms", "lower", peers)
    rows.append(row)
    group = "cheap mode (no worker until the first request)"
    live = list(peers)
    if "liege" in peers and not ctx.liege_has("cheap"):
        row.mark("liege", NOT_BUILT)
        live.remove("liege")
    for round_index in range(ctx.rounds):
        for peer in live:
            port = free_port()
            record = round_index == 0
            if peer == "liege":
                options = P.liege_options(ctx, port, APPS, "hello", extra=[("cheap", "true")])
                server = P.start_liege(ctx, group, "cheap", options, record=record)
            else:
                server = P.start_uwsgi(ctx, group, "cheap", P.uwsgi_argv(ctx, port, APPS, "hello", extra=["--cheap"]),
                                       record=record)
            try:
                row.add(peer, first_request(ctx, peer, server, port))
            finally:
                server.stop()


def first_request(ctx, peer, server, port, workers=None):
    """ms for the first request once the port listens and the master settled; `workers` lists the
    worker processes (default: every child; a Liege preloader is a child but not a worker)."""
    workers = workers or server.children
    deadline = time.monotonic() + 30
    while port not in listening_ports():  # bound, checked without connecting
        if time.monotonic() > deadline or not server.alive():
            ctx.note("%s (cheap): never listened: %s" % (peer, server.log_tail(3)))
            return None
        time.sleep(0.02)
    time.sleep(min(1.0, ctx.settle))  # let the master settle into cheap mode
    if workers():
        ctx.note("%s (cheap): workers were running before the first request" % peer)
        return None
    start = time.monotonic()
    try:
        status, _body = http_get(port, timeout=30)
    except OSError as error:
        ctx.note("%s (cheap): first request failed: %s" % (peer, error))
        return None
    return (time.monotonic() - start) * 1000 if status == 200 else None
