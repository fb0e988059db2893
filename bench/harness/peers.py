"""How each server is started for a job: Liege (an INI file), uWSGI, gunicorn, granian, uvicorn and
daphne (command lines as their docs show them), nginx (a minimal config). Every peer gets the same number of processes (ctx.processes)
and no per-request logging."""

import os
import shlex

from procs import Server
from context import HARNESS, VENV


def _log(ctx, name):
    return os.path.join(ctx.logs, name + ".log")


def liege_ini(ctx, name, options):
    """Write .bench/conf/NAME.ini from (key, value) pairs; returns its path."""
    path = os.path.join(ctx.conf, name + ".ini")
    with open(path, "w") as f:
        f.write("[uwsgi]\n")
        for key, value in options:
            f.write("%s = %s\n" % (key, value))
    return path


def liege_options(ctx, port, chdir, module, keepalive=False, extra=()):
    options = [("http-socket", "127.0.0.1:%d" % port), ("processes", ctx.processes),
               ("chdir", chdir), ("module", module), ("virtualenv", VENV)]
    if ctx.liege_has("disable-logging"):
        options.append(("disable-logging", "true"))
    if keepalive:
        options.append(("http-keepalive", 5))
    return options + list(extra)


def start_liege(ctx, group, name, options, record=True):
    ini = liege_ini(ctx, name, options)
    argv = [ctx.liege, "--ini", ini]
    if record:
        contents = "; ".join("%s = %s" % (k, _short(str(v))) for k, v in options)
        ctx.record(group, "liege", "%s   (%s)" % (shown(argv), contents))
    return Server("liege-" + name, argv, os.path.dirname(ini), _log(ctx, "liege-" + name), ctx.server_cpus)


def uwsgi_argv(ctx, port, chdir, module, keepalive=False, extra=()):
    # uWSGI docs: --http-socket for HTTP straight to the workers (no --http router), --master.
    # Keep-alive on an http-socket is uWSGI's --http11-socket (HTTP/1.1 with persistent connections).
    socket_flag = "--http11-socket" if keepalive else "--http-socket"
    return [ctx.uwsgi, "--master", "--processes", str(ctx.processes), socket_flag, "127.0.0.1:%d" % port,
            "--chdir", chdir, "--module", module, "--virtualenv", VENV, "--disable-logging"] + list(extra)


def start_uwsgi(ctx, group, name, argv, record=True):
    if record:
        ctx.record(group, "uwsgi", shown(argv))
    return Server("uwsgi-" + name, argv, ctx.conf, _log(ctx, "uwsgi-" + name), ctx.server_cpus)


def gunicorn_argv(ctx, port, chdir, module):
    # gunicorn docs: sync workers (the default), -w N; no access log unless --access-logfile is given.
    return [ctx.gunicorn, "--workers", str(ctx.processes), "--worker-class", "sync", "--bind",
            "127.0.0.1:%d" % port, "--chdir", chdir, "%s:application" % module]


def start_gunicorn(ctx, group, name, argv, record=True):
    if record:
        ctx.record(group, "gunicorn", shown(argv))
    return Server("gunicorn-" + name, argv, ctx.conf, _log(ctx, "gunicorn-" + name), ctx.server_cpus)


def granian_argv(ctx, port, chdir, module):
    # granian's WSGI interface: N worker processes, each with one runtime (I/O) thread and one blocking
    # thread running the app, so every peer runs the app on one Python thread per process. No access
    # log unless --access-log is given; HTTP/1 keep-alive is on by default.
    return [ctx.granian, "--interface", "wsgi", "--workers", str(ctx.processes), "--blocking-threads", "1",
            "--runtime-threads", "1", "--host", "127.0.0.1", "--port", str(port), "--working-dir", chdir,
            "%s:application" % module]


def start_granian(ctx, group, name, argv, record=True):
    if record:
        ctx.record(group, "granian", shown(argv))
    return Server("granian-" + name, argv, ctx.conf, _log(ctx, "granian-" + name), ctx.server_cpus)


def liege_asgi_options(ctx, port, chdir, app, processes=None):
    """An ASGI app on Liege's event-driven workers: `asgi` instead of `module`, keep-alive on; the
    loop is `asgi-loop = auto` (uvloop, which the bench venv has, like the other peers)."""
    options = [("http-socket", "127.0.0.1:%d" % port), ("processes", processes or ctx.processes),
               ("chdir", chdir), ("asgi", app), ("virtualenv", VENV), ("http-keepalive", 5)]
    if ctx.liege_has("disable-logging"):
        options.append(("disable-logging", "true"))
    return options


def uvicorn_argv(ctx, port, chdir, app, processes=None):
    # uvicorn's docs for speed: the httptools parser and uvloop; --workers N forks N processes that
    # share the socket its supervisor bound. WebSockets through the `websockets` package; no access log.
    return [ctx.uvicorn, "--http", "httptools", "--loop", "uvloop", "--ws", "websockets",
            "--workers", str(processes or ctx.processes), "--host", "127.0.0.1", "--port", str(port),
            "--app-dir", chdir, "--no-access-log", "--log-level", "warning", app]


def daphne_argv(ctx, port, app, processes=None):
    """daphne has no workers option: one process binds the port itself; more share one inherited
    listening socket (`daphne --fd N`, started by harness/fdshare.py), as supervisord's fcgi-program
    runs them. `-v 0`: no access log. daphne imports the app from its working directory."""
    processes = processes or ctx.processes
    daphne = ctx.daphne
    if processes == 1:
        return [daphne, "-b", "127.0.0.1", "-p", str(port), "-v", "0", app]
    return [ctx.python, os.path.join(HARNESS, "fdshare.py"), "--port", str(port), "--processes", str(processes),
            "--", daphne, "--fd", "{fd}", "-v", "0", app]


def granian_asgi_argv(ctx, port, chdir, app, processes=None):
    # granian's ASGI interface: N worker processes, one runtime (I/O) thread each, the app on an
    # asyncio loop in each (uvloop, as for uvicorn). WebSockets are on by default; no access log.
    return [ctx.granian, "--interface", "asgi", "--workers", str(processes or ctx.processes), "--runtime-threads",
            "1", "--loop", "uvloop", "--host", "127.0.0.1", "--port", str(port), "--working-dir", chdir, app]


def start_peer(ctx, group, peer, name, argv, cwd=None, record=True):
    """A command-line peer (uvicorn, daphne, granian, ...): recorded, pinned, logged like the others."""
    if record:
        ctx.record(group, peer, shown(argv))
    return Server("%s-%s" % (peer, name), argv, cwd or ctx.conf, _log(ctx, "%s-%s" % (peer, name)), ctx.server_cpus)


NGINX_CONF = """\
%(user)s
worker_processes %(processes)d;
daemon off;
master_process on;
pid %(prefix)s/nginx.pid;
error_log %(prefix)s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 5;
    default_type application/octet-stream;
    client_body_temp_path %(prefix)s/tmp-body;
    proxy_temp_path %(prefix)s/tmp-proxy;
    fastcgi_temp_path %(prefix)s/tmp-fastcgi;
    uwsgi_temp_path %(prefix)s/tmp-uwsgi;
    scgi_temp_path %(prefix)s/tmp-scgi;
    server {
        listen 127.0.0.1:%(port)d;
        location /static/ { alias %(root)s/; }
    }
}
"""


def start_nginx(ctx, group, name, port, root):
    prefix = os.path.join(ctx.conf, "nginx-" + name)
    os.makedirs(prefix, exist_ok=True)
    conf = os.path.join(prefix, "nginx.conf")
    # As root, nginx would run its workers as `nobody`, who may not read the files under the worktree.
    user = "user root;" if os.geteuid() == 0 else ""
    with open(conf, "w") as f:
        f.write(NGINX_CONF % {"user": user, "processes": ctx.processes, "prefix": prefix, "port": port,
                              "root": root})
    argv = [ctx.nginx, "-p", prefix, "-e", os.path.join(prefix, "error.log"), "-c", conf]
    ctx.record(group, "nginx", shown(argv) + "   (worker_processes %d; sendfile on; access_log off; "
               "location /static/ { alias DIR/; })" % ctx.processes)
    return Server("nginx-" + name, argv, prefix, _log(ctx, "nginx-" + name), ctx.server_cpus)


def _short(text):
    """Paths under the checkout, shown relative to it (the harness runs from the checkout's root)."""
    home = os.getcwd() + "/"
    return text.replace(home, "")


def shown(argv):
    return " ".join(shlex.quote(_short(a)) for a in argv)
