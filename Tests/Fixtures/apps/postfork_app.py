"""Preloading fixture (lazy-apps = false): a socket opened at import, which forked workers would all
share, opened again per worker by a `liege.postfork` function; a `uwsgidecorators.postfork` function and
an `os.register_at_fork` hook record that they ran in the worker. COLLECTOR_PORT: a TCP listener of the
test that reads one line per connection (`import PID` / `postfork PID`)."""
import os
import socket

import liege
from uwsgidecorators import postfork

IMPORTED_BY = os.getpid()
at_fork_in_child = []
uwsgi_style = []
os.register_at_fork(after_in_child=lambda: at_fork_in_child.append(os.getpid()))


def connect(tag):
    connection = socket.create_connection(("127.0.0.1", int(os.environ["COLLECTOR_PORT"])))
    connection.sendall(("%s %d\n" % (tag, os.getpid())).encode())
    return connection


collector = connect("import")


@liege.postfork
def reconnect():
    global collector
    collector.close()
    collector = connect("postfork")


@postfork
def note_uwsgi_style():
    uwsgi_style.append(os.getpid())


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    fields = {
        "pid": os.getpid(),
        "imported_by": IMPORTED_BY,
        "local_port": collector.getsockname()[1],
        "at_fork_in_child": at_fork_in_child == [os.getpid()],
        "uwsgi_postfork": uwsgi_style == [os.getpid()],
    }
    return [" ".join("%s=%s" % item for item in fields.items()).encode()]
