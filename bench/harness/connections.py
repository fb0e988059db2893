"""Connection-handling scenarios on the hello app: many keep-alive clients (throughput, and how many of
them are answered at all), and a normal visitor's latency while slow clients hold connections."""

import time

import peers as P
from clients import SlowClients, count_answered, normal_requests, percentile
from context import APPS
from load import wrk, wrk_command
from report import NA, Row
from throughput import mark_failed, pair, start_targets, stop_targets, wrk_round

KEEPALIVE_CLIENTS = 64
SLOW_CLIENTS = 200


def _hello_specs(ctx, group, name, keepalive):
    app = APPS
    return {
        "liege": lambda port: P.start_liege(ctx, group, name, P.liege_options(ctx, port, app, "hello", keepalive)),
        "uwsgi": lambda port: P.start_uwsgi(ctx, group, name, P.uwsgi_argv(ctx, port, app, "hello", keepalive)),
        "gunicorn": lambda port: P.start_gunicorn(ctx, group, name, P.gunicorn_argv(ctx, port, app, "hello")),
        "granian": lambda port: P.start_granian(ctx, group, name, P.granian_argv(ctx, port, app, "hello")),
    }


def keepalive_many(ctx, rows):
    """wrk with 64 keep-alive connections (req/s, p99), then 64 raw keep-alive clients for a few
    seconds: how many got at least one answer (a server that serves a connection to its end with each
    worker leaves the others waiting in the backlog, which wrk does not report)."""
    peers = [p for p in ("liege", "uwsgi", "gunicorn", "granian") if ctx.wants(p)]
    label = "hello keep-alive, %d connections" % KEEPALIVE_CLIENTS
    rps, p99 = pair("hello.keepalive64", label, peers)
    answered = Row("hello.keepalive64.answered", "%s: connections answered" % label, "count", "higher", peers)
    rows += [rps, p99, answered]
    if "gunicorn" in peers:
        for row in (rps, p99, answered):
            row.mark("gunicorn", NA)  # sync workers close every connection
    live = [p for p in peers if p != "gunicorn"]
    group = label
    ctx.record(group, "wrk", wrk_command(ctx, "/", True, connections=KEEPALIVE_CLIENTS))
    window = min(ctx.duration, 3)
    ctx.record(group, "answered", "%d raw keep-alive clients in the harness for %d s, each sending GET / again "
               "once answered; counted: clients with at least one answer" % (KEEPALIVE_CLIENTS, window))
    specs = _hello_specs(ctx, group, "hello-keepalive64", keepalive=True)
    targets, failed = start_targets(ctx, [(p, specs[p]) for p in live])
    mark_failed(ctx, [rps, p99, answered], failed)
    try:
        for peer in targets:
            if ctx.warmup > 0:
                wrk(ctx, targets[peer].port, "/", seconds=ctx.warmup, connections=KEEPALIVE_CLIENTS)
        for round_index in range(ctx.rounds):
            for peer, target in targets.items():
                wrk_round(ctx, rps, p99, peer, target.port, round_index, connections=KEEPALIVE_CLIENTS)
                time.sleep(0.3)  # wrk's connections are gone before the count starts
                try:
                    clients, answers = count_answered(target.port, KEEPALIVE_CLIENTS, window)
                    answered.add(peer, clients, detail={"answers": answers})
                except OSError as error:
                    ctx.note("%s, %s, round %d: %s" % (peer, answered.label, round_index + 1, error))
                    answered.add(peer, None)
    finally:
        stop_targets(targets)


def slow_clients(ctx, rows):
    """200 connections send half a request head and hold it; meanwhile a normal client sends GET /
    (connection close) back to back: p99 of its latency, or "timeout" when one request gets no answer
    within the timeout (a server whose workers all wait on slow clients answers nobody)."""
    peers = [p for p in ("liege", "uwsgi", "gunicorn", "granian") if ctx.wants(p)]
    label = "normal request while %d slow clients hold connections p99" % SLOW_CLIENTS
    row = Row("slowclients.p99", label, "ms", "lower", peers)
    rows.append(row)
    timeout = 1.0 if ctx.args.smoke else 5.0
    group = "normal requests while %d slow clients hold connections" % SLOW_CLIENTS
    ctx.record(group, "load", "%d connections from the harness each send half a request head and wait; one client "
               "sends GET / (HTTP/1.0, a new connection each) back to back for %d s, %.0f s timeout per request"
               % (SLOW_CLIENTS, ctx.duration, timeout))
    specs = _hello_specs(ctx, group, "hello-slowclients", keepalive=False)
    targets, failed = start_targets(ctx, [(p, specs[p]) for p in peers])
    mark_failed(ctx, [row], failed)
    try:
        for round_index in range(ctx.rounds):
            for peer, target in targets.items():
                one_slow_round(ctx, row, peer, target, round_index, timeout)
    finally:
        stop_targets(targets)


def one_slow_round(ctx, row, peer, target, round_index, timeout):
    try:
        with SlowClients(target.port, SLOW_CLIENTS) as slow:
            time.sleep(0.5 if not ctx.args.smoke else 0.2)  # let the server take them in
            latencies, timed_out = normal_requests(target.port, ctx.duration, timeout)
            holding = slow.holding
    except OSError as error:
        ctx.note("%s, %s, round %d: %s" % (peer, row.label, round_index + 1, error))
        row.add(peer, None)
        return
    detail = {"requests": len(latencies), "slow_clients_holding": holding, "timed_out": timed_out}
    if timed_out:
        ctx.note("%s, %s, round %d: no answer within %.0f s after %d answered requests (%d slow clients "
                 "connected)" % (peer, row.label, round_index + 1, timeout, len(latencies), holding))
        row.add(peer, None, detail=detail, failure="timeout")
    elif not latencies:
        ctx.note("%s, %s, round %d: no request answered" % (peer, row.label, round_index + 1))
        row.add(peer, None, detail=detail)
    else:
        row.add(peer, percentile(latencies, 0.99), detail=detail)
    time.sleep(0.3)  # the closed slow connections drain before the next server is measured
