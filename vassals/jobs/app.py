"""A tiny app whose page shows what its cron job and daemon wrote (vassals/jobs.ini)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def application(environ, start_response):
    lines = []
    for name in ("cron.log", "daemon.log"):
        path = os.path.join(HERE, name)
        if os.path.exists(path):
            with open(path) as handle:
                lines.append("%s: %s" % (name, handle.read().strip().splitlines()[-1:]))
    body = ("jobs app\n" + "\n".join(lines) + "\n").encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
