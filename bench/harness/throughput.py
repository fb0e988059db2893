"""Throughput scenarios (wrk): hello-world close and keep-alive, Django, static files.

Each group starts every peer's server once (all pinned to the server CPUs, idle while another is
measured), warms each one up, then runs `rounds` rounds; inside a round the peers alternate."""

import os
import time

import peers as P
from load import wrk, wrk_command
from context import APPS, WORK
from procs import free_port, http_get, pss_kib, rss_kib, wait_http
from report import NA, NOT_BUILT, Row


class Target:
    """One server for one case: peer, its Server, its port."""

    def __init__(self, peer, server, port):
        self.peer, self.server, self.port = peer, server, port


def start_targets(ctx, specs, ready_path="/"):
    """specs: list of (peer, start function taking port -> Server). Returns {peer: Target} for the
    peers that came up; a peer that did not is reported through `failed`."""
    targets, failed = {}, {}
    for peer, start in specs:
        port = free_port()
        server = start(port)
        targets[peer] = Target(peer, server, port)
    for peer, target in list(targets.items()):
        if wait_http(target.port, ready_path, timeout=60, server=target.server) is None:
            failed[peer] = target.server.log_tail()
            target.server.stop()
            del targets[peer]
    return targets, failed


def stop_targets(targets):
    for target in targets.values():
        target.server.stop()


def measure(ctx, cases, targets, memory=None):
    """cases: list of (rps_row, p99_row, path, keepalive_by_peer, connections or None). Warm-up, then
    alternate peers inside each round. memory: optional callable(round) sampled after each round."""
    for rps_row, p99_row, path, keepalive, connections in cases:
        for peer in rps_row.peers:
            if peer in targets and ctx.warmup > 0:
                wrk(ctx, targets[peer].port, path, seconds=ctx.warmup, keepalive=keepalive[peer],
                    connections=connections)
    for round_index in range(ctx.rounds):
        for rps_row, p99_row, path, keepalive, connections in cases:
            for peer in rps_row.peers:
                if peer not in targets:
                    continue
                wrk_round(ctx, rps_row, p99_row, peer, targets[peer].port, round_index, path, keepalive[peer],
                          connections)
        if memory:
            memory(round_index)


def wrk_round(ctx, rps_row, p99_row, peer, port, round_index, path="/", keepalive=True, connections=None):
    """One wrk run for one peer: its req/s and p99, or a failed round (with a note) when wrk got no
    answers or more than 1 % socket errors and non-2xx answers."""
    result, _ = wrk(ctx, port, path, keepalive=keepalive, connections=connections)
    bad = result["errors"] + result["non2xx"]
    ok = result["rps"] is not None and result["requests"] > 0 and bad <= result["requests"] * 0.01
    if not ok:
        ctx.note("%s, %s, round %d: %d requests, socket errors %s, %d non-2xx; round not counted" % (
            peer, rps_row.label, round_index + 1, result["requests"], result.get("socket_errors", {}),
            result["non2xx"]))
    rps_row.add(peer, result["rps"] if ok else None, detail=result)
    p99_row.add(peer, result["p99_ms"] if ok else None)
    return result


def pair(key, label, peers):
    return (Row(key + ".rps", label + " req/s", "req/s", "higher", peers),
            Row(key + ".p99", label + " p99", "ms", "lower", peers))


def master_rss_sampler(row, targets):
    def sample(_round):
        time.sleep(0.5)
        for peer, target in targets.items():
            if peer in row.peers:
                kib = rss_kib(target.server.pid)
                pss = pss_kib(target.server.pid)
                row.add(peer, kib / 1024 if kib else None, detail={"pss_mib": pss and round(pss / 1024, 1)})
    return sample


def worker_memory_sampler(rss_row, pss_row, targets):
    """Median worker's RSS and PSS (PSS divides shared pages among the processes sharing them)."""
    def sample(_round):
        time.sleep(0.5)
        for peer, target in targets.items():
            if peer in rss_row.peers:
                workers = target.server.children()
                for row, read in ((rss_row, rss_kib), (pss_row, pss_kib)):
                    values = sorted(v for v in (read(pid) for pid in workers) if v)
                    row.add(peer, values[len(values) // 2] / 1024 if values else None, detail={"workers": len(workers)})
    return sample


def mark_failed(ctx, rows, failed):
    for peer, why in failed.items():
        ctx.note("%s failed for %s: %s" % (peer, rows[0].label, why.strip().splitlines()[-1:] if why else ""))
        for row in rows:
            if peer in row.peers:
                row.mark(peer, "failed")


def hello(ctx, rows):
    app = APPS
    close_peers = [p for p in ("liege", "uwsgi", "gunicorn", "granian") if ctx.wants(p)]
    ka_peers = [p for p in ("liege", "uwsgi", "gunicorn", "granian") if ctx.wants(p)]
    close = pair("hello.close", "hello-world, connection close", close_peers)
    ka = pair("hello.keepalive", "hello-world, keep-alive", ka_peers)
    mem = Row("memory.master", "memory: idle master (hello app)", "MiB", "lower",
              [p for p in close_peers])
    rows += [*close, *ka]
    if "gunicorn" in ka_peers:
        for row in ka:
            row.mark("gunicorn", NA)  # gunicorn's sync worker closes every connection (its docs)
    ctx.record("hello-world, connection close", "wrk", wrk_command(ctx, "/", False))
    ctx.record("hello-world, keep-alive", "wrk", wrk_command(ctx, "/", True, connections=ctx.processes))

    g_close, g_ka = "hello-world, connection close", "hello-world, keep-alive"
    specs_close = {
        "liege": lambda port: P.start_liege(ctx, g_close, "hello-close", P.liege_options(ctx, port, app, "hello")),
        "uwsgi": lambda port: P.start_uwsgi(ctx, g_close, "hello-close", P.uwsgi_argv(ctx, port, app, "hello")),
        "gunicorn": lambda port: P.start_gunicorn(ctx, g_close, "hello", P.gunicorn_argv(ctx, port, app, "hello")),
        "granian": lambda port: P.start_granian(ctx, g_close, "hello", P.granian_argv(ctx, port, app, "hello")),
    }
    specs_ka = {
        "liege": lambda port: P.start_liege(ctx, g_ka, "hello-keepalive",
                                            P.liege_options(ctx, port, app, "hello", keepalive=True)),
        "uwsgi": lambda port: P.start_uwsgi(ctx, g_ka, "hello-keepalive",
                                            P.uwsgi_argv(ctx, port, app, "hello", keepalive=True)),
        "granian": lambda port: P.start_granian(ctx, g_ka, "hello-keepalive", P.granian_argv(ctx, port, app, "hello")),
    }
    targets, failed = start_targets(ctx, [(p, specs_close[p]) for p in close_peers])
    mark_failed(ctx, [*close, mem], failed)
    try:
        measure(ctx, [(close[0], close[1], "/", {p: False for p in close_peers}, None)], targets,
                memory=master_rss_sampler(mem, targets))
    finally:
        stop_targets(targets)
    live_ka = [p for p in ka_peers if p in specs_ka]
    targets, failed = start_targets(ctx, [(p, specs_ka[p]) for p in live_ka])
    mark_failed(ctx, ka, failed)
    try:
        # One connection per worker: a one-thread worker keeps serving its keep-alive connection, so more
        # connections would only wait in the listen backlog (wrk does not count those as errors).
        measure(ctx, [(ka[0], ka[1], "/", {p: True for p in live_ka}, ctx.processes)], targets)
    finally:
        stop_targets(targets)
    return [mem]


def django(ctx, rows, project):
    peers = [p for p in ("liege", "uwsgi", "gunicorn") if ctx.wants(p)]
    view = pair("django.view", "Django trivial view", peers)
    admin = pair("django.admin", "Django /admin/login/", peers)
    mem = Row("memory.django_worker", "memory: idle Django worker RSS", "MiB", "lower", peers)
    pss = Row("memory.django_worker_pss", "memory: idle Django worker PSS", "MiB", "lower", peers)
    rows += [*view, *admin]
    group = "Django (connection close)"
    ctx.record(group, "wrk", wrk_command(ctx, "/hello/  and  /admin/login/", False))
    module = "benchsite.wsgi"
    specs = {
        "liege": lambda port: P.start_liege(ctx, group, "django", P.liege_options(ctx, port, project, module)),
        "uwsgi": lambda port: P.start_uwsgi(ctx, group, "django", P.uwsgi_argv(ctx, port, project, module)),
        "gunicorn": lambda port: P.start_gunicorn(ctx, group, "django", P.gunicorn_argv(ctx, port, project, module)),
    }
    targets, failed = start_targets(ctx, [(p, specs[p]) for p in peers], ready_path="/hello/")
    mark_failed(ctx, [*view, *admin, mem, pss], failed)
    close = {p: False for p in peers}
    try:
        measure(ctx, [(view[0], view[1], "/hello/", close, None), (admin[0], admin[1], "/admin/login/", close, None)],
                targets, memory=worker_memory_sampler(mem, pss, targets))
    finally:
        stop_targets(targets)
    return [mem, pss]


def static(ctx, rows, files):
    """files: [(label, file name)] in .bench/static. Liege static-map vs uWSGI static-map vs nginx, with
    connection close for all three: uWSGI closes after every static answer even on --http11-socket."""
    peers = [p for p in ("liege", "uwsgi", "nginx") if ctx.wants(p)]
    app = APPS
    root = os.path.join(WORK, "static")
    group = "static files (connection close)"
    cases, new_rows = [], []
    for label, name in files:
        r = pair("static." + label, "static %s" % label, peers)
        new_rows += r
        cases.append((r[0], r[1], "/static/" + name, {p: False for p in peers}, None))
    rows += new_rows
    ctx.record(group, "wrk", wrk_command(ctx, "/static/FILE", False))
    live = list(peers)
    if "liege" in peers and not ctx.liege_has("static-map"):
        for row in new_rows:
            row.mark("liege", NOT_BUILT)
        live.remove("liege")
    static_map = [("static-map", "/static=" + root)]
    specs = {
        "liege": lambda port: P.start_liege(ctx, group, "static",
                                            P.liege_options(ctx, port, app, "hello", extra=static_map)),
        # uWSGI docs ("Serving static files with uWSGI"): --static-map /mountpoint=dir. No offload threads:
        # they add threads the others do not get, and measured slower here for 4 KiB files.
        "uwsgi": lambda port: P.start_uwsgi(ctx, group, "static", P.uwsgi_argv(
            ctx, port, app, "hello", extra=["--static-map", "/static=" + root])),
        "nginx": lambda port: P.start_nginx(ctx, group, "static", port, root),
    }
    targets, failed = start_targets(ctx, [(p, specs[p]) for p in live], ready_path="/static/" + files[0][1])
    for peer, target in list(targets.items()):  # the file itself, not an app answer, must come back
        for _label, name in files:
            try:
                _status, length = http_get(target.port, "/static/" + name, keep_body=False)
            except OSError:
                length = -1
            if length != os.path.getsize(os.path.join(root, name)):
                failed[peer] = "GET /static/%s returned %d bytes" % (name, length)
        if peer in failed:
            target.server.stop()
            del targets[peer]
    mark_failed(ctx, new_rows, failed)
    try:
        measure(ctx, cases, targets)
    finally:
        stop_targets(targets)
