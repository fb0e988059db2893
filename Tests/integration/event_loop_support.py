"""Helpers for the event-loop tests (issue 13): the eventloop fixture app and its JSON answers."""
import json

from conftest import APPS
from support import RawConnection


def loop_ini(port, *lines):
    """A config serving the eventloop fixture app on an HTTP socket, plus `lines`."""
    return "[uwsgi]\nhttp-socket = 127.0.0.1:%d\nchdir = %s\nmodule = eventloop\n%s\n" % (port, APPS, "\n".join(lines))


def answer(response):
    """The JSON an echo-like route answered (asserting a 200)."""
    assert response.status == 200, response
    return json.loads(response.body)


def open_connections(port, count, timeout=30):
    """`count` client connections, all open at once (closed by the caller)."""
    return [RawConnection(port, timeout=timeout) for _ in range(count)]


def close_all(connections):
    for connection in connections:
        connection.close()
