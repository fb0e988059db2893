"""ASGI scenarios: Liege (`asgi = ...`) against uvicorn, daphne and granian. The hello app's keep-alive
throughput with 64 connections (wrk), WebSocket echo round trips with 64 clients, and messages through
a Django Channels group (both with harness/wsload.py, pinned to the load CPUs like wrk)."""

import json
import os
import subprocess
import sys

import peers as P
from context import APPS, HARNESS
from load import wrk, wrk_command
from report import NOT_BUILT, Row
from throughput import mark_failed, pair, start_targets, stop_targets, wrk_round

ASGI_PEERS = ("liege", "uvicorn", "daphne", "granian")
HELLO_CONNECTIONS = 64
ECHO_CLIENTS = 64
GROUP_CLIENTS = 16
WSLOAD = os.path.join(HARNESS, "wsload.py")


def _asgi_specs(ctx, group, name, chdir, app, processes=None):
    return {
        "liege": lambda port: P.start_liege(ctx, group, name, P.liege_asgi_options(ctx, port, chdir, app, processes)),
        "uvicorn": lambda port: P.start_peer(ctx, group, "uvicorn", name,
                                             P.uvicorn_argv(ctx, port, chdir, app, processes)),
        "daphne": lambda port: P.start_peer(ctx, group, "daphne", name, P.daphne_argv(ctx, port, app, processes),
                                            cwd=chdir),
        "granian": lambda port: P.start_peer(ctx, group, "granian", name,
                                             P.granian_asgi_argv(ctx, port, chdir, app, processes)),
    }


def _live_peers(ctx, rows):
    """The ASGI peers this run wants; Liege only once its binary knows `asgi` (else "not built yet")."""
    wanted = [p for p in ASGI_PEERS if ctx.wants(p)]
    live = list(wanted)
    if "liege" in wanted and not ctx.liege_has("asgi"):
        for row in rows:
            row.mark("liege", NOT_BUILT)
        live.remove("liege")
    return wanted, live


def wsload(ctx, port, path, clients, seconds, mode):
    """Run harness/wsload.py pinned to the load CPUs; returns its JSON result (or a failure dict)."""
    argv = ctx.taskset(ctx.load_cpus) + [sys.executable, WSLOAD, "--port", str(port), "--path", path,
                                         "--clients", str(clients), "--seconds", str(seconds), "--mode", mode]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, ValueError, IndexError) as error:
        return {"rate": None, "connected": 0, "clients": clients, "broke": "%s: %s" % (type(error).__name__, error)}


def wsload_command(ctx, path, clients, mode):
    parts = ctx.taskset(ctx.load_cpus) + [".bench/venv/bin/python", "bench/harness/wsload.py", "--port", "PORT", "--path", path,
                                          "--clients", str(clients), "--seconds", str(ctx.duration), "--mode", mode]
    return " ".join(parts)


def add_ws_sample(ctx, row, peer, round_index, result):
    """One round of wsload: counted only when every client connected and stayed open to the end."""
    ok = (result.get("rate") is not None and result.get("connected") == result.get("clients")
          and result.get("open_at_end") == result.get("clients") and result.get("messages", 0) > 0)
    if not ok:
        why = result.get("broke") or "%d of %d clients upgraded%s%s" % (
            result.get("connected", 0), result.get("clients", 0),
            "; handshake answers: %s" % result["handshake_failures"] if result.get("handshake_failures") else "",
            "; then: %s" % result["errors"] if result.get("errors") else "")
        answers = result.get("handshake_failures") or {}
        if not result.get("connected") and answers and all(a.startswith("HTTP/1.") for a in answers):
            why += " (the upgrade was answered as a plain HTTP request: no WebSocket support in this server)"
        ctx.note("%s, %s, round %d: %s; round not counted" % (peer, row.label, round_index + 1, why))
    elif (result.get("client_cpu") or 0) > 0.9:
        ctx.note("%s, %s, round %d: the load generator used %.0f %% of its CPU: this number may be the "
                 "generator's limit" % (peer, row.label, round_index + 1, 100 * result["client_cpu"]))
    row.add(peer, result["rate"] if ok else None, detail=result)


def hello_and_echo(ctx, rows):
    """The hello app (bench/apps/asgi_hello.py) on every ASGI peer with 2 processes: wrk with 64
    keep-alive connections, then 64 WebSocket clients echoing a 16-byte text message."""
    label = "ASGI hello keep-alive, %d connections" % HELLO_CONNECTIONS
    rps, p99 = pair("asgi.hello.keepalive64", label, [p for p in ASGI_PEERS if ctx.wants(p)])
    echo = Row("asgi.ws.echo", "WebSocket echo round trips/s, %d clients" % ECHO_CLIENTS, "rt/s", "higher",
               [p for p in ASGI_PEERS if ctx.wants(p)])
    rows += [rps, p99, echo]
    _wanted, live = _live_peers(ctx, [rps, p99, echo])
    group = "ASGI hello keep-alive and WebSocket echo (bench/apps/asgi_hello.py)"
    ctx.record(group, "wrk", wrk_command(ctx, "/", True, connections=HELLO_CONNECTIONS))
    ctx.record(group, "wsload", wsload_command(ctx, "/ws", ECHO_CLIENTS, "echo"))
    specs = _asgi_specs(ctx, group, "asgi-hello", APPS, "asgi_hello:app")
    targets, failed = start_targets(ctx, [(p, specs[p]) for p in live])
    mark_failed(ctx, [rps, p99, echo], failed)
    try:
        if ctx.warmup > 0:
            for target in targets.values():
                wrk(ctx, target.port, "/", seconds=ctx.warmup, connections=HELLO_CONNECTIONS)
                wsload(ctx, target.port, "/ws", ECHO_CLIENTS, ctx.warmup, "echo")
        for round_index in range(ctx.rounds):
            for peer, target in targets.items():
                wrk_round(ctx, rps, p99, peer, target.port, round_index, connections=HELLO_CONNECTIONS)
                add_ws_sample(ctx, echo, peer, round_index,
                              wsload(ctx, target.port, "/ws", ECHO_CLIENTS, ctx.duration, "echo"))
    finally:
        stop_targets(targets)


def channels_group(ctx, rows):
    """The Channels project (bench/apps/benchchat): 16 clients in one group, each sending its next
    message once its previous one came back through the group; counted: messages delivered to clients.
    One process per server: the in-memory channel layer lives in one process, so with two a client
    would only reach the half of the group in its own process."""
    label = "Django Channels: messages/s through a group, %d clients" % GROUP_CLIENTS
    row = Row("asgi.channels.group", label, "msg/s", "higher", [p for p in ASGI_PEERS if ctx.wants(p)])
    rows.append(row)
    _wanted, live = _live_peers(ctx, [row])
    group = "Django Channels group broadcast (bench/apps/benchchat, in-memory layer, 1 process each)"
    ctx.record(group, "wsload", wsload_command(ctx, "/ws/chat/", GROUP_CLIENTS, "group"))
    specs = _asgi_specs(ctx, group, "channels", APPS, "benchchat.asgi:application", processes=1)
    targets, failed = start_targets(ctx, [(p, specs[p]) for p in live], ready_path="/hello/")
    mark_failed(ctx, [row], failed)
    try:
        if ctx.warmup > 0:
            for target in targets.values():
                wsload(ctx, target.port, "/ws/chat/", GROUP_CLIENTS, ctx.warmup, "group")
        for round_index in range(ctx.rounds):
            for peer, target in targets.items():
                add_ws_sample(ctx, row, peer, round_index,
                              wsload(ctx, target.port, "/ws/chat/", GROUP_CLIENTS, ctx.duration, "group"))
    finally:
        stop_targets(targets)
